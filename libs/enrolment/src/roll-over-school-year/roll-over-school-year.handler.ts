import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BusCommand, stepOf, type CommandContext } from '#libs/platform';
import {
  OfferingAlreadyExists,
  PlaceAlreadyExists,
  PlaceNotFound,
  RolloverIsInvalid,
  schoolYearLastDay,
} from '../domain/index.js';
import { giveUpQuittingPlaces } from '../reregister-place/reregister-place.handler.js';
import { EnrolmentStreams } from '../shared/enrolment-streams.js';
import { complete } from '../shared/multi-stream.js';
import type { RollOverSchoolYearRequest } from './roll-over-school-year.request.js';
import { RolloverPlan, type ProposedOffering } from './rollover-plan.js';

export class RollOverSchoolYearCommand extends BusCommand<RollOverSchoolYearRequest & { schoolYear: string }> {}

/**
 * Opens the next school year from the last one: each offering not dropped opens again (capacity and fee as adjusted),
 * linked to its predecessor, and each place that did not quit continues in it from 1 August. Every id derives from
 * the previous offering or place and the year, and every step is skipped when it already landed, so a rollover run
 * again (or resumed after a crash) makes nothing twice. Capacities are checked against the continuing places before
 * anything is written.
 */
@CommandHandler(RollOverSchoolYearCommand)
export class RollOverSchoolYearHandler implements ICommandHandler<RollOverSchoolYearCommand> {
  constructor(
    private readonly enrolment: EnrolmentStreams,
    private readonly plan: RolloverPlan,
  ) {}

  async execute({ data: { schoolYear, adjustments = [] }, context }: RollOverSchoolYearCommand) {
    const { tenant } = context.principal;
    const proposals = await this.plan.propose(tenant, schoolYear);
    const byId = new Map(proposals.map((p) => [p.fromOfferingId, p]));
    for (const adjustment of adjustments) {
      if (!byId.has(adjustment.fromOfferingId)) {
        throw new RolloverIsInvalid(`Offering ${adjustment.fromOfferingId} is not one of the previous school year's`);
      }
    }
    const dropped = proposals.filter(
      (proposal) => adjustments.find((a) => a.fromOfferingId === proposal.fromOfferingId)?.drop,
    );
    const adjusted = proposals.flatMap((proposal) => {
      const change = adjustments.find((a) => a.fromOfferingId === proposal.fromOfferingId);
      if (change?.drop) return [];
      const capacity = change?.capacity ?? proposal.capacity;
      if (capacity < proposal.continuingPlaces.length) {
        throw new RolloverIsInvalid(
          `Offering ${proposal.fromOfferingId} has ${proposal.continuingPlaces.length} continuing places: capacity ${capacity} is too small`,
        );
      }
      const feePerSemesterOre = change?.feePerSemesterOre ?? proposal.details.feePerSemesterOre;
      return [{ ...proposal, capacity, details: { ...proposal.details, feePerSemesterOre } }];
    });
    const opened = [];
    for (const proposal of adjusted) {
      await this.open(proposal, context);
      let continued = 0;
      for (const place of proposal.continuingPlaces) {
        // Already continued on an earlier run: nothing left to do for it.
        if (place.studentId !== null)
          await this.continuePlace(proposal, { ...place, studentId: place.studentId }, context);
        continued++;
      }
      opened.push({
        fromOfferingId: proposal.fromOfferingId,
        offeringId: proposal.offeringId,
        continuedPlaces: continued,
      });
    }
    const first = Number(schoolYear.slice(0, 4));
    const lastDay = schoolYearLastDay(`${first - 1}-${first}`);
    // A dropped offering's places end with its school year, as a withdrawal noticed today (rule 7 decides the fees).
    for (const proposal of dropped)
      for (const place of proposal.continuingPlaces)
        if (place.studentId !== null)
          await this.endWithTheYear(proposal.fromOfferingId, place.placeId, lastDay, context);
    return { schoolYear, offerings: opened, endedPlaces: dropped.flatMap((p) => p.continuingPlaces).length };
  }

  /** The student's side first (its count drops), then the offering's, as a withdrawal is written. */
  private async endWithTheYear(offeringId: string, placeId: string, lastDay: string, context: CommandContext) {
    const step = stepOf(context, `end-${placeId}`);
    const withdraw = { type: 'Withdraw' as const, data: { placeId, effectiveOn: lastDay } };
    const decided = await this.enrolment.checkOffering(offeringId, withdraw, step);
    await giveUpQuittingPlaces(this.enrolment, decided, step, true);
    await complete(
      () => this.enrolment.offering(offeringId, withdraw, step),
      (error) => error instanceof PlaceNotFound,
    );
  }

  private async open(proposal: ProposedOffering, context: CommandContext) {
    const { offeringId, fromOfferingId, details, capacity } = proposal;
    const open = {
      type: 'OpenOffering' as const,
      data: {
        ...details,
        offeringId,
        capacity,
        continuesOfferingId: fromOfferingId,
        continuingPlaceIds: proposal.continuingPlaces.map((place) => place.toPlaceId),
      },
    };
    await this.enrolment
      .offering(offeringId, open, stepOf(context, `open-${offeringId}`))
      .catch((error: unknown) => (error instanceof OfferingAlreadyExists ? undefined : Promise.reject(error)));
  }

  /** Student first (its stream holds the limit: a move keeps the count), then the new place, then the old one ends. */
  private async continuePlace(
    proposal: ProposedOffering,
    { placeId, toPlaceId, studentId }: { placeId: string; toPlaceId: string; studentId: string },
    context: CommandContext,
  ) {
    const { tenant } = context.principal;
    const { fromOfferingId, offeringId } = proposal;
    const step = (name: string) => stepOf(context, `${name}-${placeId}`);
    const student = await this.plan.student(tenant, studentId);
    if (student.status === 'Known' && student.places[placeId] !== undefined) {
      const move = { type: 'MovePlace' as const, data: { fromPlaceId: placeId, placeId: toPlaceId, offeringId } };
      await this.enrolment.student(studentId, move, step('student'));
    }
    if (!(await this.enrolment.wasEnrolled(tenant, offeringId, toPlaceId))) {
      const {
        studentId: _s,
        birthYear,
        gender,
        district,
        school,
      } = await this.enrolment.enrolledPlace(tenant, fromOfferingId, placeId);
      const enrol = {
        type: 'Enrol' as const,
        data: {
          ...{ placeId: toPlaceId, studentId, birthYear, gender, district, school },
          ...{ viaOfferId: null, transferredFrom: null, continuesFrom: { offeringId: fromOfferingId, placeId } },
        },
      };
      await this.enrolment
        .offering(offeringId, enrol, step('enrol'))
        .catch((error: unknown) => (error instanceof PlaceAlreadyExists ? undefined : Promise.reject(error)));
    }
    const continuePlace = { type: 'ContinuePlace' as const, data: { placeId, toOfferingId: offeringId, toPlaceId } };
    await this.enrolment.offering(fromOfferingId, continuePlace, step('continue'));
  }
}
