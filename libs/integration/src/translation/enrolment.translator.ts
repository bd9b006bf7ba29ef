import type {
  CapacityChanged,
  KulturdagPupilRegistered,
  OfferingClosed,
  OfferingOpened,
  PlaceEnrolled,
  PlaceTransferredOut,
  PlaceWithdrawn,
} from '#libs/enrolment';
import { emit, type TranslatorTable } from './translation.js';

/** The place, its offering and its student, as the place messages name them. */
const placeRefs = (d: Pick<PlaceEnrolled['data'], 'placeId' | 'offeringId' | 'studentId'>) => ({
  placeId: d.placeId,
  offeringId: d.offeringId,
  studentRef: d.studentId,
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
      district: d.district,
      form: d.form,
      capacity: d.capacity,
      feePerSemesterNok: d.feePerSemesterNok,
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
      district: d.district,
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
  KulturdagPupilRegistered: (d: KulturdagPupilRegistered['data']) => [
    emit('kulturskole.statistics.kulturdag-pupil-registered.v1', {
      pupilRef: d.pupilId,
      schoolId: d.schoolId,
      schoolYear: d.schoolYear,
      district: d.district,
      birthYear: d.birthYear,
      registeredAt: d.registeredAt,
    }),
  ],
} satisfies TranslatorTable;
