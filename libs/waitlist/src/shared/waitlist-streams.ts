import { Inject, Injectable, Optional } from '@nestjs/common';
import { streamName } from '#libs/event-store';
import {
  POLICY_OVERRIDES,
  PolicyBook,
  registerContextRules,
  StreamCommandHandler,
  type CommandContext,
  type ContextRules,
  type PolicyOverrides,
  type WithoutMetadata,
} from '#libs/platform';
import {
  checkWaitlistRules,
  createWaitlistDecider,
  trondheimWaitlistPolicy,
  waitlistPolicies,
  type Waitlist,
  type WaitlistCommand,
  type WaitlistEvent,
  type WaitlistPolicies,
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
  private readonly rules: ContextRules<WaitlistPolicies>;

  constructor(
    private readonly streams: StreamCommandHandler,
    book: PolicyBook,
    @Optional() @Inject(WAITLIST_POLICIES) private readonly fixed?: WaitlistPolicies,
    @Optional() @Inject(POLICY_OVERRIDES) configured?: PolicyOverrides,
  ) {
    this.rules = registerContextRules(
      book,
      'waitlist',
      trondheimWaitlistPolicy,
      configured,
      waitlistPolicies,
      checkWaitlistRules,
    );
  }

  /** The rules in force for the tenant, per school year. */
  async policiesFor(tenant: string): Promise<WaitlistPolicies> {
    return this.fixed ?? this.rules.forTenant(tenant);
  }

  /** Decides without appending, so a command can be refused before anything else (personal data) is written. */
  async check(offeringId: string, command: Omit<WaitlistCommand, 'metadata'>, context: CommandContext) {
    const decider = createWaitlistDecider(await this.rulesFor(context));
    return this.streams.checkIn(
      waitlistStream,
      offeringId,
      decider,
      command as WithoutMetadata<WaitlistCommand>,
      context,
    );
  }

  async execute(offeringId: string, command: Omit<WaitlistCommand, 'metadata'>, context: CommandContext) {
    const decider = createWaitlistDecider(await this.rulesFor(context));
    return this.streams.handleIn<WaitlistCommand, WaitlistEvent, Waitlist>(
      waitlistStream,
      offeringId,
      decider,
      command as WithoutMetadata<WaitlistCommand>,
      context,
    );
  }

  /**
   * The rules as the command sees them, read once however many times it decides (a conflict decides again). A handler
   * may ask early, beside its other reads, so the store reads them together (StreamReads).
   */
  async rulesFor(context: CommandContext): Promise<WaitlistPolicies> {
    return this.fixed ?? this.rules.forCommand(context);
  }
}
