import type { Event } from '#libs/decider';
import type { District } from '#libs/municipality';

export type SchoolJoinedKulturdag = Event<
  'SchoolJoinedKulturdag',
  { schoolId: string; schoolYear: string; district: District; joinedAt: string }
>;
export type KulturdagPupilRegistered = Event<
  'KulturdagPupilRegistered',
  { schoolId: string; schoolYear: string; district: District; pupilId: string; birthYear: number; registeredAt: string }
>;
export type KulturdagEvent = SchoolJoinedKulturdag | KulturdagPupilRegistered;
