import type { DistrictV1, ProgrammeV1, SubjectGroupV1 } from './enrolment.v1.js';

// Public contract of topic kulturskole.statistics.v1: pseudonymous ids and non-identifying dimensions only.

export interface StudentPlaceCountedV1 {
  studentRef: string;
  placeId: string;
  offeringId: string;
  subjectGroup: SubjectGroupV1;
  programme: ProgrammeV1;
  birthYear: number;
  gender: 'female' | 'male' | 'unknown';
  district: DistrictV1;
  school: string;
  countedFrom: string;
}

export interface KulturdagPupilRegisteredV1 {
  pupilRef: string;
  schoolId: string;
  schoolYear: string;
  district: DistrictV1;
  birthYear: number;
  registeredAt: string;
}
