import {
  openingFeeOre,
  type CapacityChanged,
  type KulturdagPupilRegistered,
  type OfferingClosed,
  type OfferingOpened,
  type PlaceEnrolled,
  type PlaceQuitAtYearEnd,
  type PlaceReregistered,
  type PlaceReregistrationReminded,
  type PlaceReregistrationRequested,
  type PlaceTransferredOut,
  type PlaceWithdrawn,
} from '#libs/enrolment';
import type { DistrictV1 } from '../contracts/enrolment.v1.js';
import { emit, type TranslatorTable } from './translation.js';

// v1 messages name Trondheim's districts (their schemas' enum); a district of another tenant's register fails the
// schema and is parked by the relay until a v2 message with the district as text is published.
const v1District = (district: string) => district as DistrictV1;

/** The place, its offering and its student, as the place messages name them. */
const placeRefs = (d: Pick<PlaceEnrolled['data'], 'placeId' | 'offeringId' | 'studentId'>) => ({
  placeId: d.placeId,
  offeringId: d.offeringId,
  studentRef: d.studentId,
});

const reregistrationRefs = (
  d: Pick<PlaceReregistered['data'], 'placeId' | 'offeringId' | 'studentId' | 'schoolYear'>,
) => ({
  placeId: d.placeId,
  offeringId: d.offeringId,
  studentRef: d.studentId,
  schoolYear: d.schoolYear,
});

// SeatsReleased, SeatReserved, SeatReservationReleased, leave and the student stream's bookkeeping stay internal: no
// outside system acts on them.
export const enrolmentTranslators = {
  OfferingOpened: (d: OfferingOpened['data']) => [
    emit('kulturskole.enrolment.offering-opened.v1', {
      offeringId: d.offeringId,
      subject: d.subject,
      subjectGroup: d.subjectGroup,
      programme: d.programme,
      location: d.location,
      district: v1District(d.district),
      form: d.form,
      capacity: d.capacity,
      feePerSemesterNok: Math.round(openingFeeOre(d) / 100),
      feePerSemesterOre: openingFeeOre(d),
      schoolYear: d.schoolYear,
      openedAt: d.openedAt,
    }),
  ],
  CapacityChanged: (d: CapacityChanged['data']) => [
    emit('kulturskole.enrolment.offering-capacity-changed.v1', {
      offeringId: d.offeringId,
      previousCapacity: d.previousCapacity,
      capacity: d.capacity,
      changedAt: d.changedAt,
    }),
  ],
  OfferingClosed: (d: OfferingClosed['data']) => [
    emit('kulturskole.enrolment.offering-closed.v1', { offeringId: d.offeringId, closedAt: d.closedAt }),
  ],
  PlaceEnrolled: (d: PlaceEnrolled['data']) => [
    emit('kulturskole.enrolment.place-started.v1', {
      ...placeRefs(d),
      subjectGroup: d.subjectGroup,
      programme: d.programme,
      startedAt: d.enrolledAt,
      viaOfferId: d.viaOfferId,
      transferredFrom: d.transferredFrom ? { ...d.transferredFrom } : null,
    }),
    emit('kulturskole.statistics.student-place-counted.v1', {
      studentRef: d.studentId,
      placeId: d.placeId,
      offeringId: d.offeringId,
      subjectGroup: d.subjectGroup,
      programme: d.programme,
      birthYear: d.birthYear,
      gender: d.gender,
      district: v1District(d.district),
      school: d.school,
      countedFrom: d.enrolledAt,
    }),
  ],
  PlaceWithdrawn: (d: PlaceWithdrawn['data']) => [
    emit('kulturskole.enrolment.place-ended.v1', {
      ...placeRefs(d),
      endedOn: d.effectiveOn,
      reason: 'withdrawn',
      noticeOn: d.noticeOn,
      afterWithdrawalDeadline: d.afterDeadline,
      transferredTo: null,
    }),
  ],
  PlaceTransferredOut: (d: PlaceTransferredOut['data']) => [
    emit('kulturskole.enrolment.place-ended.v1', {
      ...placeRefs(d),
      endedOn: d.effectiveOn,
      reason: 'transferred',
      noticeOn: null,
      afterWithdrawalDeadline: false,
      transferredTo: { offeringId: d.toOfferingId, placeId: d.toPlaceId },
    }),
  ],
  // Rule 6 for the notification service: who is asked, reminded or answered, by pseudonymous id only.
  PlaceReregistrationRequested: (d: PlaceReregistrationRequested['data']) => [
    emit('kulturskole.enrolment.place-reregistration-requested.v1', {
      ...reregistrationRefs(d),
      deadline: d.deadline,
      requestedAt: d.requestedAt,
    }),
  ],
  PlaceReregistrationReminded: (d: PlaceReregistrationReminded['data']) => [
    emit('kulturskole.enrolment.place-reregistration-reminded.v1', {
      ...reregistrationRefs(d),
      deadline: d.deadline,
      remindedAt: d.remindedAt,
    }),
  ],
  PlaceReregistered: (d: PlaceReregistered['data']) => [
    emit('kulturskole.enrolment.place-reregistration-answered.v1', {
      ...reregistrationRefs(d),
      ...{ continues: true, answer: d.answer, answeredAt: d.answeredAt, lastDay: null },
    }),
  ],
  PlaceQuitAtYearEnd: (d: PlaceQuitAtYearEnd['data']) => [
    emit('kulturskole.enrolment.place-reregistration-answered.v1', {
      ...reregistrationRefs(d),
      ...{ continues: false, answer: d.answer, answeredAt: d.answeredAt, lastDay: d.lastDay },
    }),
  ],
  KulturdagPupilRegistered: (d: KulturdagPupilRegistered['data']) => [
    emit('kulturskole.statistics.kulturdag-pupil-registered.v1', {
      pupilRef: d.pupilId,
      schoolId: d.schoolId,
      schoolYear: d.schoolYear,
      district: v1District(d.district),
      birthYear: d.birthYear,
      registeredAt: d.registeredAt,
    }),
  ],
} satisfies TranslatorTable;
