import { Inject, Injectable, Optional } from '@nestjs/common';
import { streamName } from '#libs/event-store';
import {
  atCommandTime,
  checkedOverrides,
  POLICY_OVERRIDES,
  StreamCommandHandler,
  type CommandContext,
  type PolicyOverrides,
} from '#libs/platform';
import {
  createWaitlistDecider,
  trondheimWaitlistPolicy,
  waitlistPolicies,
  type WaitlistCommand,
  type WaitlistEvent,
  type WaitlistPolicies,
} from '../domain/index.js';

/** Provide this (from a global module) to run the waitlist with other policies than Trondheim's. */
export const WAITLIST_POLICIES = Symbol('WAITLIST_POLICIES');

/** One waitlist stream per offering, in the caller's tenant. */
export const waitlistStream = (tenant: string, offeringId: string): string =>
  streamName(tenant, 'waitlist', 'offering', offeringId);

/** Runs a waitlist command against its offering's stream; Trondheim's policies unless configured otherwise. */
@Injectable()
export class WaitlistStreams {
  private readonly decider;
  readonly policies: WaitlistPolicies;

  constructor(
    private readonly streams: StreamCommandHandler,
    @Optional() @Inject(WAITLIST_POLICIES) policies?: WaitlistPolicies,
    @Optional() @Inject(POLICY_OVERRIDES) configured?: PolicyOverrides,
  ) {
    this.policies =
      policies ?? waitlistPolicies(checkedOverrides('waitlist', trondheimWaitlistPolicy, configured?.waitlist));
    this.decider = createWaitlistDecider(this.policies);
  }

  /** Decides without appending, so a command can be refused before anything else (personal data) is written. */
  async check(offeringId: string, command: Omit<WaitlistCommand, 'metadata'>, context: CommandContext) {
    return this.streams.check(
      waitlistStream(context.principal.tenant, offeringId),
      this.decider,
      atCommandTime(command, context) as WaitlistCommand,
    );
  }

  async execute(offeringId: string, command: Omit<WaitlistCommand, 'metadata'>, context: CommandContext) {
    return this.streams.handle<WaitlistCommand, WaitlistEvent, ReturnType<typeof this.decider.evolve>>(
      waitlistStream(context.principal.tenant, offeringId),
      this.decider,
      atCommandTime(command, context) as WaitlistCommand,
      context,
    );
  }
}
