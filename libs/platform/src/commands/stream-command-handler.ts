import { Inject, Injectable } from '@nestjs/common';
import type { Decider } from '#libs/decider';
import { WrongExpectedRevisionError, type EventStore } from '#libs/event-store';
import { EVENT_STORE } from '../tokens.js';
import { FoldedStates, type Folded } from './folded-states.js';
import { StreamTurns } from './stream-turns.js';
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

/** Appends refused for a stale revision before the command gives up (409). */
const MAX_CONFLICTS = 5;

/**
 * Load, decide, append with the expected revision; on a conflict, reload and decide again, so racing commands are
 * serialised per stream and none is lost or doubled. In this process commands on one stream take turns (StreamTurns),
 * so they do not make each other retry.
 *
 * A command decides first on this process's last fold of the stream (FoldedStates) without reading: the expected
 * revision refuses the append if the stream has moved on, and then it reads what it missed and decides again. Only
 * an append is taken on that trust; a refusal, or a decision to append nothing, is made again on a fresh read before
 * it is answered. Loading reads only the events after the fold.
 */
@Injectable()
export class StreamCommandHandler {
  private readonly folded = new FoldedStates();
  private readonly turns = new StreamTurns();

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
    return this.turns.take(streamName, async () => {
      let trusted = this.folded.get<State>(decider.evolve, streamName);
      for (let conflicts = 0; ;) {
        const { state, revision } = trusted ?? (await this.load(streamName, decider));
        let events: Event[];
        try {
          events = decider.decide(command, state);
        } catch (refusal) {
          if (trusted === undefined) throw refusal;
          trusted = undefined; // refused on the unread fold: decide again on what is stored
          continue;
        }
        if (events.length === 0) {
          if (trusted === undefined) return { events, state, revision };
          trusted = undefined;
          continue;
        }
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
          if (!(error instanceof WrongExpectedRevisionError) || ++conflicts >= MAX_CONFLICTS) throw error;
          trusted = undefined;
        }
      }
    });
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
