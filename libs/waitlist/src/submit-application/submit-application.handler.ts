import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '#libs/event-store';
import { holdsAPlace } from '#libs/enrolment';
import { BusCommand, EVENT_STORE, eventIdFor } from '#libs/platform';
import { PersonalDataIntake } from '#libs/personal-data';
import { WaitlistStreams } from '../shared/waitlist-streams.js';
import type { SubmitApplicationRequest } from './submit-application.request.js';

export class SubmitApplicationCommand extends BusCommand<{ offeringId: string; body: SubmitApplicationRequest }> {}

/**
 * The child's identity goes to the people register (encrypted under the child's own key); the waitlist event holds
 * the pseudonymous child id and the dimensions statistics count by, never the name or the number.
 */
@CommandHandler(SubmitApplicationCommand)
export class SubmitApplicationHandler implements ICommandHandler<SubmitApplicationCommand> {
  constructor(
    private readonly waitlists: WaitlistStreams,
    private readonly intake: PersonalDataIntake,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ data: { offeringId, body }, context }: SubmitApplicationCommand) {
    const tenant = context.principal.tenant;
    const { child, guardian } = body;
    const application = (childId: string, birthDate: string, hasPlace: boolean) => ({
      type: 'SubmitApplication' as const,
      data: {
        applicationId: eventIdFor(context.commandId, 'application', 0),
        childId,
        appliedAt: body.appliedAt ?? context.now.toISOString(),
        specialNeeds: body.specialNeeds,
        hasPlace,
        birthDate,
        dimensions: { gender: child.gender, district: child.district, school: child.school ?? null },
      },
    });
    const { subjectId: childId, birthDate } = await this.intake.receive(tenant, {
      nationalId: child.nationalId,
      field: 'child.nationalId',
      fields: {
        name: child.name,
        address: child.address,
        guardianName: guardian.name,
        guardianEmail: guardian.email,
        guardianPhone: guardian.phone,
      },
      // Refuse what the waitlist would refuse (no waitlist, a future date, the child already on it…) before any
      // personal data is stored or changed.
      beforeStoring: ({ birthDate, subjectId }) =>
        this.waitlists.check(offeringId, application(subjectId ?? randomUUID(), birthDate, false), context),
    });
    // "No place yet" goes ahead of "a second place"; the admission process corrects it if it changes meanwhile.
    const command = application(childId, birthDate, await holdsAPlace(this.store, tenant, childId));
    const { revision } = await this.waitlists.execute(offeringId, command, context);
    return { offeringId, applicationId: command.data.applicationId, childId, revision };
  }
}
