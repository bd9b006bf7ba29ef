import { Injectable } from '@nestjs/common';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { BusCommand, CommandContext } from '#libs/platform';
import type { WaitlistCommand } from '../domain/index.js';
import { WaitlistStreams } from './waitlist-streams.js';

/** A waitlist command as a handler sends it: everything but the time, which `WaitlistStreams` stamps. */
export type WaitlistWrite = Omit<WaitlistCommand, 'metadata'>;

/**
 * The handler of a bus command that writes its offering's waitlist stream once, and nothing else: each use case says
 * which waitlist command it sends (`waitlistCommand`) and what the route answers (`response`). A command that does
 * more (submitting an application takes personal data in first) writes its own `execute`.
 */
@Injectable()
export abstract class OfferingWaitlistHandler<Data extends { offeringId: string }> implements ICommandHandler<
  BusCommand<Data>
> {
  constructor(private readonly waitlists: WaitlistStreams) {}

  protected abstract waitlistCommand(data: Data, context: CommandContext): WaitlistWrite;
  protected abstract response(data: Data, revision: number, context: CommandContext): object;

  async execute({ data, context }: BusCommand<Data>) {
    const { revision } = await this.waitlists.execute(data.offeringId, this.waitlistCommand(data, context), context);
    return this.response(data, revision, context);
  }
}
