// Public contract of topic kulturskole.enrolment.v1: for school administration and reporting.
// Field names and meanings never change within v1; see the JSON Schemas beside this file.

export type SubjectGroupV1 = 'music' | 'visual-arts' | 'theatre' | 'dance' | 'sami' | 'other';
export type ProgrammeV1 = 'breadth' | 'core' | 'deepening';
// The published v1 contract names the districts it was published with: a copy on purpose, pinned by its schema.
export type DistrictV1 = 'Midtbyen' | 'Østbyen' | 'Lerkendal' | 'Heimdal' | 'Klæbu';

export interface OfferingOpenedV1 {
  offeringId: string;
  subject: string;
  subjectGroup: SubjectGroupV1;
  programme: ProgrammeV1;
  location: string;
  district: DistrictV1;
  form: 'individual' | 'group';
  capacity: number;
  /** Whole kroner, rounded to the nearest krone: a fee like NOK 2,052.50 is exact only in `feePerSemesterOre`. */
  feePerSemesterNok: number;
  /** The fee in øre (added in 2026-12; optional in the schema only because v1 was published without it). */
  feePerSemesterOre?: number;
  schoolYear: string;
  openedAt: string;
}

export interface OfferingCapacityChangedV1 {
  offeringId: string;
  previousCapacity: number;
  capacity: number;
  changedAt: string;
}

export interface OfferingClosedV1 {
  offeringId: string;
  closedAt: string;
}

export interface PlaceRefV1 {
  offeringId: string;
  placeId: string;
}

export interface PlaceStartedV1 {
  placeId: string;
  offeringId: string;
  studentRef: string;
  subjectGroup: SubjectGroupV1;
  programme: ProgrammeV1;
  startedAt: string;
  viaOfferId: string | null;
  transferredFrom: PlaceRefV1 | null;
}

export interface PlaceEndedV1 {
  placeId: string;
  offeringId: string;
  studentRef: string;
  endedOn: string;
  reason: 'withdrawn' | 'transferred';
  noticeOn: string | null;
  afterWithdrawalDeadline: boolean;
  transferredTo: PlaceRefV1 | null;
}

/** Rule 6, for the municipality's notification service: the place, its offering and the pseudonymous person only. */
export interface PlaceReregistrationRefV1 {
  placeId: string;
  offeringId: string;
  studentRef: string;
  schoolYear: string;
}

export interface PlaceReregistrationRequestedV1 extends PlaceReregistrationRefV1 {
  deadline: string;
  requestedAt: string;
}

export interface PlaceReregistrationRemindedV1 extends PlaceReregistrationRefV1 {
  deadline: string;
  remindedAt: string;
}

export interface PlaceReregistrationAnsweredV1 extends PlaceReregistrationRefV1 {
  continues: boolean;
  answer: 'reply' | 'silence';
  answeredAt: string;
  /** The place's last day when it ends (31 July); null when it continues. */
  lastDay: string | null;
}
