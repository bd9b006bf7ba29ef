import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '#libs/event-store';
import { holdsAnyPlace, initialStudent, studentNow } from '#libs/enrolment';
import { APP_CONFIG, BusCommand, EVENT_STORE, eventIdFor, TenantRegisters, type AppConfig } from '#libs/platform';
import { PersonalDataIntake } from '#libs/personal-data';
import { checkPayerNumbers, receiveApplicationPayer, withPayer } from './application-payer.js';
import { WaitlistStreams } from '../shared/waitlist-streams.js';
import { holdsPlaceInSubject } from './holds-place-in-subject.js';
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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registers: TenantRegisters,
  ) {}

  async execute({ data: { offeringId, body }, context }: SubmitApplicationCommand) {
    const tenant = context.principal.tenant;
    const { child, guardian } = body;
    checkPayerNumbers(body, { acceptSynthetic: this.config.ACCEPT_SYNTHETIC_NATIONAL_IDS });
    // The registers and the waitlist's rules, asked for together: the store reads both streams in one statement.
    await Promise.all([this.registers.forCaller(context.principal), this.waitlists.rulesFor(context)]);
    // The child's district and school are the tenant's own, checked before anything is stored.
    await this.registers.assertKnown(context.principal, 'districts', child.district, 'child.district');
    if (child.school !== undefined)
      await this.registers.assertKnown(context.principal, 'schools', child.school, 'child.school');
    const application = (childId: string, birthDate: string, hasPlace: boolean, holdsPlaceInSubject = false) => ({
      type: 'SubmitApplication' as const,
      data: {
        applicationId: eventIdFor(context.commandId, 'application', 0),
        childId,
        appliedAt: body.appliedAt ?? context.now.toISOString(),
        specialNeeds: body.specialNeeds,
        hasPlace,
        ...(holdsPlaceInSubject ? { holdsPlaceInSubject } : {}),
        birthDate,
        dimensions: {
          ...{ gender: child.gender, district: child.district, school: child.school ?? null },
          ...(child.fromOtherMunicipality ? { fromOtherMunicipality: true } : {}),
        },
      },
    });
    const {
      subjectId: childId,
      birthDate,
      isNew,
    } = await this.intake.receive(tenant, {
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
    // Keeping a place in the same subject orders first where the policy says so (Lindesnes).
    // A child registered just now has no student stream yet: its id was made by this request.
    const student = isNew ? initialStudent : await studentNow(this.store, tenant, childId);
    const command = application(
      childId,
      birthDate,
      holdsAnyPlace(student),
      await holdsPlaceInSubject(this.store, tenant, student, offeringId),
    );
    // The guardian who applies pays unless the application names another payer (funding registers it with the place).
    const payer = await receiveApplicationPayer(this.intake, tenant, body);
    const { revision } = await this.waitlists.execute(offeringId, withPayer(command, payer), context);
    return { offeringId, applicationId: command.data.applicationId, childId, revision };
  }
}
