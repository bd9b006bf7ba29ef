import { Inject, Injectable, Optional } from '@nestjs/common';
import { DomainError } from '#libs/decider';
import { streamName, type EventStore } from '#libs/event-store';
import type { CommandContext } from '../commands/command-context.js';
import { eventIdFor, metadataFor } from '../commands/command-context.js';
import { EVENT_STORE } from '../tokens.js';
import { POLICY_OVERRIDES, type PolicyOverrides } from './policy-overrides.js';
import { describeShapeProblem, shapeProblem } from './rule-shape.js';

export type PolicyContext = keyof PolicyOverrides;
export type PolicyRules = Readonly<Record<string, unknown>>;
/** A context's rules per school year, as the file and the tenant's recorded changes set them. */
export type YearlyRules = Readonly<Record<string, PolicyRules>>;

/** What a context tells the book: how to check a change, and the rules in force once its changes are applied. */
export interface PolicyContextRules {
  /** Throws a DomainError (400) naming the rule when a change is not one the context can take. */
  check(schoolYear: string, rules: PolicyRules): void;
  effective(overrides: YearlyRules, schoolYear: string): object;
}

export const POLICY_RULES_SET = 'PolicyRulesSet';

export interface PolicyRulesSet {
  context: PolicyContext;
  schoolYear: string;
  rules: PolicyRules;
}

export class PolicyContextNotServed extends DomainError {
  readonly kind = 'not_found';
  constructor(context: string) {
    super(`No context "${context}" with rules is served here (enrolment, waitlist or funding)`);
  }
}

export class PolicyChangeNeedsReason extends DomainError {
  readonly kind = 'invalid';
  readonly field = 'reason';
  constructor() {
    super('A change of rules must give its reason (the decision it carries out)');
  }
}

const SCHOOL_YEAR = /^(\d{4})-(\d{4})$/;

export class SchoolYearOfRulesIsInvalid extends DomainError {
  readonly kind = 'invalid';
  readonly field = 'schoolYear';
  constructor(value: string) {
    super(`"${value.slice(0, 20)}" is not a school year like 2026-2027`);
  }
}

export const policyStream = (tenant: string, context: PolicyContext): string =>
  streamName(tenant, 'policies', 'rules', context);

/**
 * The rules per tenant and school year: the deployment's POLICIES_FILE, with each tenant's changes on top. A change is
 * an event (`PolicyRulesSet`, with who and why), so it takes effect for the next command in every process and stays
 * in the audit history. Decisions already recorded keep the terms they were made under.
 */
@Injectable()
export class PolicyBook {
  private readonly perCommand = new WeakMap<object, Map<PolicyContext, Promise<YearlyRules>>>();
  private readonly contexts = new Map<PolicyContext, PolicyContextRules>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(POLICY_OVERRIDES) private readonly file: PolicyOverrides = {},
  ) {}

  /** Each context registers when its module starts; the book only takes changes for contexts it knows. */
  register(context: PolicyContext, rules: PolicyContextRules): void {
    this.contexts.set(context, rules);
  }

  /** The file's rules for the context with the tenant's recorded changes on top, per school year. */
  async overrides(tenant: string, context: PolicyContext): Promise<YearlyRules> {
    const merged: Record<string, Record<string, unknown>> = {};
    for (const [year, rules] of Object.entries(this.file[context] ?? {})) merged[year] = { ...rules };
    for (const event of await this.store.readStream(policyStream(tenant, context))) {
      if (event.type !== POLICY_RULES_SET) continue;
      const { schoolYear, rules } = event.data as PolicyRulesSet;
      merged[schoolYear] = { ...merged[schoolYear], ...rules };
    }
    return merged;
  }

  /**
   * The tenant's changes as one command sees them: read once per command however many streams it decides on. Keyed
   * by the command's principal, which every step of one command shares and every request or process step has anew.
   */
  forCommand(command: CommandContext, context: PolicyContext): Promise<YearlyRules> {
    const read = this.perCommand.get(command.principal) ?? new Map<PolicyContext, Promise<YearlyRules>>();
    this.perCommand.set(command.principal, read);
    const rules = read.get(context) ?? this.overrides(command.principal.tenant, context);
    if (!read.has(context)) {
      read.set(context, rules);
      rules.catch(() => read.delete(context)); // a failed read is tried again, not remembered
    }
    return rules;
  }

  async effective(tenant: string, context: PolicyContext, schoolYear: string): Promise<object> {
    return this.served(context).effective(await this.overrides(tenant, context), this.checkedYear(schoolYear));
  }

  /** Checks the change against the context's rules, then records it; nothing is written when it does not pass. */
  async set(command: CommandContext, context: PolicyContext, schoolYear: string, rules: PolicyRules, reason: string) {
    if (reason.trim() === '') throw new PolicyChangeNeedsReason();
    const year = this.checkedYear(schoolYear);
    const served = this.served(context);
    served.check(year, rules);
    const before = await this.overrides(command.principal.tenant, context);
    const after = { ...before, [year]: { ...before[year], ...rules } };
    served.check(year, after[year] ?? {});
    const data: PolicyRulesSet = { context, schoolYear: year, rules };
    const { position } = await this.store.appendToStream(
      policyStream(command.principal.tenant, context),
      [
        {
          eventId: eventIdFor(command.commandId, 'rules', 0),
          type: POLICY_RULES_SET,
          schemaVersion: 1,
          data,
          metadata: metadataFor({ ...command, reason }),
        },
      ],
      { expectedRevision: 'any' },
    );
    return { position, policy: served.effective(after, year) };
  }

  private served(context: string): PolicyContextRules {
    const rules = this.contexts.get(context as PolicyContext);
    if (!rules) throw new PolicyContextNotServed(context);
    return rules;
  }

  private checkedYear(schoolYear: string): string {
    const match = SCHOOL_YEAR.exec(schoolYear);
    if (!match || Number(match[2]) !== Number(match[1]) + 1) throw new SchoolYearOfRulesIsInvalid(schoolYear);
    return schoolYear;
  }
}

export class PolicyRuleIsInvalid extends DomainError {
  readonly kind = 'invalid';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A check for rules shaped like the context's defaults (the same check POLICIES_FILE gets at start). */
export const rulesLike =
  (defaults: object, context = 'context') =>
  (_schoolYear: string, rules: PolicyRules): void => {
    const problem = shapeProblem(defaults as Record<string, unknown>, rules);
    if (problem) throw new PolicyRuleIsInvalid(`rules.${problem.path}`, describeShapeProblem(problem, context));
  };
