import type { CommandContext } from '../commands/command-context.js';
import { ConfigError } from '../config/app-config.js';
import {
  PolicyRuleIsInvalid,
  rulesLike,
  type PolicyBook,
  type PolicyContext,
  type PolicyRules,
  type YearlyRules,
} from './policy-book.js';
import { checkedOverrides, type PolicyOverrides } from './policy-overrides.js';

/** A context's rules as its deciders take them: the policy in force for a school year. */
export interface ContextRules<Policies> {
  /** The rules in force for the tenant, per school year. */
  forTenant(tenant: string): Promise<Policies>;
  /** The rules as the command sees them, read once however many streams (or times) it decides on. */
  forCommand(command: CommandContext): Promise<Policies>;
}

/**
 * Registers a context's rules with the book and reads them back as the context's policies: Trondheim's defaults,
 * POLICIES_FILE, then the tenant's recorded changes. The file's part is checked here, when the context starts, so a
 * typo stops the start instead of the first command.
 */
export const registerContextRules = <Policy extends object, Policies extends (schoolYear: string) => Policy>(
  book: PolicyBook,
  context: PolicyContext,
  defaults: Policy,
  configured: PolicyOverrides | undefined,
  policiesOf: (overrides: Readonly<Record<string, Partial<Policy>>>) => Policies,
  /** What the shape cannot tell (a list naming only known values, …): why a year's rules cannot be taken, if so. */
  problemOf: (rules: PolicyRules) => { rule: string; message: string } | undefined = () => undefined,
): ContextRules<Policies> => {
  for (const [year, rules] of Object.entries(checkedOverrides(context, defaults, configured?.[context]))) {
    const problem = problemOf(rules);
    if (problem)
      throw new ConfigError(
        `Configuration error: POLICIES_FILE ${context}.${year}.${problem.rule}: ${problem.message}`,
      );
  }
  // Checked on the way in (rulesLike, checkedOverrides, problemOf), so the shape is the policy's.
  const policies = (overrides: YearlyRules) => policiesOf(overrides as Readonly<Record<string, Partial<Policy>>>);
  book.register(context, {
    check: (schoolYear, rules) => {
      rulesLike(defaults, context)(schoolYear, rules);
      const problem = problemOf(rules);
      if (problem) throw new PolicyRuleIsInvalid(`rules.${problem.rule}`, `${problem.rule}: ${problem.message}`);
    },
    effective: (overrides, schoolYear) => policies(overrides)(schoolYear),
  });
  return {
    forTenant: async (tenant) => policies(await book.overrides(tenant, context)),
    forCommand: async (command) => policies(await book.forCommand(command, context)),
  };
};
