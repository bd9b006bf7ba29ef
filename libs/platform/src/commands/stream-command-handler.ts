import { Inject, Injectable } from '@nestjs/common';
import type { Decider } from '#libs/decider';
import { WrongExpectedRevisionError, type EventStore } from '#libs/event-store';
import { EVENT_STORE } from '../tokens.js';
import { FoldedStates, type Folded } from './folded-states.js';
import {
  atCommandTime,
  eventIdFor,
  metadataFor,
  type CommandContext,
  type WithoutMetadata,
} from './command-context.js';

export interface DomainEvent {
  type: string;
  data: unknown;
}

/** An aggregate's stream in the caller's tenant, by the aggregate's id. */
export type StreamOf = (tenant: string, id: string) => string;

const MAX_ATTEMPTS = 5;

/**
 * Load, decide, append with the expected revision; on a conflict, reload and decide again, so racing commands are
 * serialised per stream and none is lost or doubled. Loading reads only the events after this process's last fold of
 * the stream (FoldedStates): the expected revision still guards every append, so a stale fold can only cost a retry.
 */
@Injectable()
export class StreamCommandHandler {
  private readonly folded = new FoldedStates();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Decides without appending: lets a command spanning two aggregates refuse before either is written. */
  async check<Command, Event extends DomainEvent, State>(
    streamName: string,
    decider: Decider<Command, Event, State>,
    command: Command,
  ): Promise<Event[]> {
    const { state } = await this.load(streamName, decider);
    return decider.decide(command, state);
  }

  /** The stream's state: the last fold of it this process made, moved on by the events stored after it. */
  private async load<Command, Event extends DomainEvent, State>(
    streamName: string,
    decider: Decider<Command, Event, State>,
  ): Promise<Folded<State>> {
    const known = this.folded.get<State>(decider.evolve, streamName);
    const after = await this.store.readStream(streamName, known ? { fromRevision: known.revision + 1 } : {});
    const state = after.reduce(
      (folding, e) => decider.evolve(folding, { type: e.type, data: e.data } as Event),
      known ? known.state : decider.initialState,
    );
    const revision = after[after.length - 1]?.streamRevision ?? known?.revision ?? -1;
    if (after.length > 0) this.folded.set(decider.evolve, streamName, { revision, state });
    return { revision, state };
  }

  async handle<Command, Event extends DomainEvent, State>(
    streamName: string,
    decider: Decider<Command, Event, State>,
    command: Command,
    context: CommandContext,
  ): Promise<{ events: Event[]; state: State; revision: number }> {
    for (let attempt = 1; ; attempt++) {
      const { state, revision } = await this.load(streamName, decider);
      const events = decider.decide(command, state);
      if (events.length === 0) return { events, state, revision };
      try {
        const result = await this.store.appendToStream(
          streamName,
          events.map((event, index) => ({
            eventId: eventIdFor(context.commandId, streamName, index),
            type: event.type,
            schemaVersion: 1,
            data: event.data,
            metadata: metadataFor(context),
          })),
          { expectedRevision: revision >= 0 ? revision : 'no_stream' },
        );
        const next = events.reduce(decider.evolve, state);
        // A duplicate (the same command again) may sit behind later events: its state is not the stream's.
        if (!result.duplicate)
          this.folded.set(decider.evolve, streamName, { revision: result.nextExpectedRevision, state: next });
        return { events, state: next, revision: result.nextExpectedRevision };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** check() on the aggregate's stream in the command's tenant, the command stamped with the request's time. */
  checkIn<Command, Event extends DomainEvent, State>(
    streamOf: StreamOf,
    id: string,
    decider: Decider<Command, Event, State>,
    command: WithoutMetadata<Command>,
    context: CommandContext,
  ): Promise<Event[]> {
    return this.check(streamOf(context.principal.tenant, id), decider, atCommandTime(command, context) as Command);
  }

  /** handle() on the aggregate's stream in the command's tenant, the command stamped with the request's time. */
  handleIn<Command, Event extends DomainEvent, State>(
    streamOf: StreamOf,
    id: string,
    decider: Decider<Command, Event, State>,
    command: WithoutMetadata<Command>,
    context: CommandContext,
  ): Promise<{ events: Event[]; state: State; revision: number }> {
    return this.handle(
      streamOf(context.principal.tenant, id),
      decider,
      atCommandTime(command, context) as Command,
      context,
    );
  }
}
