import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '#libs/event-store';
import { BusCommand, EVENT_STORE, StreamCommandHandler } from '#libs/platform';
import { PersonIsErased, PersonNotRegistered, personDecider, RetiredPersonHoldsPlaces } from '../domain/index.js';
import { PeopleRegister } from '../people-register.js';
import { personStream } from '../people/person-stream.js';
import { placesHeld } from './places-held.js';

export class MergePeopleCommand extends BusCommand<{ from: string; into: string; reason: string }> {}

/**
 * Two registrations of one child (a D-number and, later, a fødselsnummer) become one person: `into` keeps its id and
 * `from` is retired by `PersonMerged` on its own stream. The register then finds `into` by either number, every id
 * naming `from` is resolved to `into` (enrolment, Kulturdag), and read models map `from` to `into` from the event.
 * The retired person must hold no place: places stay on their student stream, so only the survivor's stream can
 * count them against the places-per-student rule.
 */
@CommandHandler(MergePeopleCommand)
export class MergePeopleHandler implements ICommandHandler<MergePeopleCommand> {
  constructor(
    private readonly people: PeopleRegister,
    private readonly streams: StreamCommandHandler,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ data, context }: MergePeopleCommand) {
    const { tenant } = context.principal;
    const [from, into] = [data.from.toLowerCase(), data.into.toLowerCase()];
    const found = await this.people.resolve(tenant, [from, into]);
    const retiring = found.get(from);
    const surviving = found.get(into);
    if (!retiring) throw new PersonNotRegistered('from', from);
    if (!surviving) throw new PersonNotRegistered('into', into);
    if (surviving.erased) throw new PersonIsErased(into);
    if (retiring.erased) throw new PersonIsErased(from);
    const held = await placesHeld(this.store, tenant, from);
    if (held > 0) throw new RetiredPersonHoldsPlaces(from, held);
    const retiredIds = [from, ...(await this.people.retiredInto(tenant, from))];
    const command = {
      type: 'MergeInto',
      data: { from, into, retiredIds, intoIsRetired: surviving.personId !== into },
    } as const;
    const { events } = await this.streams.handleIn(personStream, from, personDecider, command, {
      ...context,
      reason: data.reason,
    });
    // Also when the event was already there (a retry after a crash): the register's links follow it.
    await this.people.merge(tenant, from, into);
    return { personId: into, retired: events.length > 0 ? retiredIds : [], merged: events.length > 0 };
  }
}
