import type { CommandContext } from './command-context.js';

/**
 * A command sent on the `CommandBus` (ADR 0006): its data and the context it runs in (who, when, the command id its
 * event ids derive from). Each use case declares its own in one line, so the bus tells them apart by class:
 * `export class WithdrawApplicationCommand extends BusCommand<{ offeringId: string; applicationId: string }> {}`.
 */
export abstract class BusCommand<Data> {
  constructor(
    readonly data: Data,
    readonly context: CommandContext,
  ) {}
}
