import { Inject, Injectable } from '@nestjs/common';
import { fold, type Decider } from '#libs/decider';
import { WrongExpectedRevisionError, type EventStore } from '#libs/event-store';
import { EVENT_STORE } from '../tokens.js';
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
 * serialised per stream and none is lost or doubled.
 */
@Injectable()
export class StreamCommandHandler {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Decides without appending: lets a command spanning two aggregates refuse before either is written. */
  async check<Command, Event extends DomainEvent, State>(
    streamName: string,
    decider: Decider<Command, Event, State>,
    command: Command,
  ): Promise<Event[]> {
    const history = await this.store.readStream(streamName);
    return decider.decide(
      command,
      fold(
        decider,
        history.map((e) => ({ type: e.type, data: e.data }) as Event),
      ),
    );
  }

  async handle<Command, Event extends DomainEvent, State>(
    streamName: string,
    decider: Decider<Command, Event, State>,
    command: Command,
    context: CommandContext,
  ): Promise<{ events: Event[]; state: State; revision: number }> {
    for (let attempt = 1; ; attempt++) {
      const history = await this.store.readStream(streamName);
      const state = fold(
        decider,
        history.map((e) => ({ type: e.type, data: e.data }) as Event),
      );
      const events = decider.decide(command, state);
      const last = history[history.length - 1];
      if (events.length === 0) return { events, state, revision: last?.streamRevision ?? -1 };
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
          { expectedRevision: last ? last.streamRevision : 'no_stream' },
        );
        return { events, state: events.reduce(decider.evolve, state), revision: result.nextExpectedRevision };
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
