import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config/app-config.js';
import { describeShapeProblem, shapeProblem } from './rule-shape.js';

/**
 * The municipality's rules where they differ from Trondheim's defaults, per context and school year, from the JSON
 * file POLICIES_FILE names, e.g. `{ "waitlist": { "2026-2027": { "silenceMeansAcceptance": false } } }`. Each context
 * validates its own part when it builds its policies; here only the shape is checked.
 */
export interface PolicyOverrides {
  enrolment?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  waitlist?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  funding?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** Injection token; the value is `{}` when no file is configured. */
export const POLICY_OVERRIDES = Symbol('POLICY_OVERRIDES');

const CONTEXTS = ['enrolment', 'waitlist', 'funding'];
const SCHOOL_YEAR = /^(\d{4})-(\d{4})$/;

export const loadPolicyOverrides = async (file: string | undefined): Promise<PolicyOverrides> => {
  if (!file) return {};
  const fail = (what: string): never => {
    throw new ConfigError(`Configuration error: POLICIES_FILE ${file}: ${what}`);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    return fail(`must be a readable JSON file (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail('must be a JSON object');
  for (const [context, years] of Object.entries(parsed)) {
    if (!CONTEXTS.includes(context)) fail(`"${context}" is not one of ${CONTEXTS.join(', ')}`);
    if (typeof years !== 'object' || years === null) return fail(`"${context}" must map school years to rules`);
    for (const [year, rules] of Object.entries(years)) {
      const match = SCHOOL_YEAR.exec(year);
      if (!match || Number(match[2]) !== Number(match[1]) + 1)
        fail(`"${context}.${year}" is not a school year like 2026-2027`);
      if (typeof rules !== 'object' || rules === null || Array.isArray(rules))
        fail(`"${context}.${year}" must be an object`);
    }
  }
  return parsed as PolicyOverrides;
};

/**
 * One context's overrides checked against its defaults: every rule named must be one the context has, with a value of
 * the same kind, so a typo stops the start instead of silently keeping the default.
 */
export const checkedOverrides = <Policy extends object>(
  context: string,
  defaults: Policy,
  overrides: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined,
): Record<string, Partial<Policy>> => {
  const checked: Record<string, Partial<Policy>> = {};
  for (const [year, rules] of Object.entries(overrides ?? {})) {
    const problem = shapeProblem(defaults as Record<string, unknown>, rules);
    if (problem) {
      throw new ConfigError(
        `Configuration error: POLICIES_FILE ${context}.${year}.${describeShapeProblem(problem, context)}`,
      );
    }
    checked[year] = rules as Partial<Policy>;
  }
  return checked;
};
