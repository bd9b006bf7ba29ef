import { Inject, Injectable, Optional } from '@nestjs/common';
import { streamName } from '#libs/event-store';
import {
  atCommandTime,
  checkedOverrides,
  POLICY_OVERRIDES,
  PolicyBook,
  rulesLike,
  StreamCommandHandler,
  type CommandContext,
  type PolicyOverrides,
  type YearlyRules,
} from '#libs/platform';
import {
  createWaitlistDecider,
  trondheimWaitlistPolicy,
  waitlistPolicies,
  type Waitlist,
  type WaitlistCommand,
  type WaitlistEvent,
  type WaitlistPolicies,
  type WaitlistPolicy,
} from '../domain/index.js';

/** Provide this (from a global module) to run the waitlist with other policies than Trondheim's. */
export const WAITLIST_POLICIES = Symbol('WAITLIST_POLICIES');

/** One waitlist stream per offering, in the caller's tenant. */
export const waitlistStream = (tenant: string, offeringId: string): string =>
  streamName(tenant, 'waitlist', 'offering', offeringId);

/**
 * Runs a waitlist command against its offering's stream, under the rules of the caller's tenant for the command's
 * school year: Trondheim's defaults, POLICIES_FILE, then the tenant's recorded changes (PolicyBook).
 */
@Injectable()
export class WaitlistStreams {
  constructor(
    private readonly streams: StreamCommandHandler,
    private readonly book: PolicyBook,
    @Optional() @Inject(WAITLIST_POLICIES) private readonly fixed?: WaitlistPolicies,
    @Optional() @Inject(POLICY_OVERRIDES) configured?: PolicyOverrides,
  ) {
    // The file's part is checked at start, so a typo stops the start instead of the first command.
    checkedOverrides('waitlist', trondheimWaitlistPolicy, configured?.waitlist);
    book.register('waitlist', {
      check: rulesLike(trondheimWaitlistPolicy, 'waitlist'),
      effective: (overrides, schoolYear) => waitlistPolicies(asWaitlistOverrides(overrides))(schoolYear),
    });
  }

  /** The rules in force for the tenant, per school year. */
  async policiesFor(tenant: string): Promise<WaitlistPolicies> {
    return this.fixed ?? waitlistPolicies(asWaitlistOverrides(await this.book.overrides(tenant, 'waitlist')));
  }

  /** The rules as the command sees them, read once however many times it decides (a conflict decides again). */
  private async rulesFor(context: CommandContext): Promise<WaitlistPolicies> {
    return this.fixed ?? waitlistPolicies(asWaitlistOverrides(await this.book.forCommand(context, 'waitlist')));
  }

  /** Decides without appending, so a command can be refused before anything else (personal data) is written. */
  async check(offeringId: string, command: Omit<WaitlistCommand, 'metadata'>, context: CommandContext) {
    return this.streams.check(
      waitlistStream(context.principal.tenant, offeringId),
      createWaitlistDecider(await this.rulesFor(context)),
      atCommandTime(command, context) as WaitlistCommand,
    );
  }

  async execute(offeringId: string, command: Omit<WaitlistCommand, 'metadata'>, context: CommandContext) {
    return this.streams.handle<WaitlistCommand, WaitlistEvent, Waitlist>(
      waitlistStream(context.principal.tenant, offeringId),
      createWaitlistDecider(await this.rulesFor(context)),
      atCommandTime(command, context) as WaitlistCommand,
      context,
    );
  }
}

// Checked on the way in (rulesLike, checkedOverrides), so the shape is the policy's.
const asWaitlistOverrides = (overrides: YearlyRules) => overrides as Readonly<Record<string, Partial<WaitlistPolicy>>>;
