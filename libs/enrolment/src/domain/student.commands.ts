import type { Command } from '#libs/decider';
import type { District } from '#libs/municipality';

/** `schoolYear` is the offering's: its rules judge the place, even when it is enrolled in the spring before. */
export type TakePlace = Command<
  'TakePlace',
  { studentId: string; birthYear: number; placeId: string; offeringId: string; schoolYear?: string }
>;
export type MovePlace = Command<'MovePlace', { fromPlaceId: string; placeId: string; offeringId: string }>;
/**
 * `endedWithItsOffering`: the school ended the place (its offering was not continued into the next school year); the
 * family gave nothing up, so a child passed over for holding it stays passed over (finding F5).
 */
export type GiveUpPlace = Command<'GiveUpPlace', { placeId: string; endedWithItsOffering?: boolean }>;
/** From the population register's address feed: statistics per district follow families who move. */
export type ChangeDistrict = Command<'ChangeDistrict', { district: District; effectiveOn: string }>;
/**
 * From the population register's feed: the child moved out of the municipality on `effectiveOn` (rule 1). `studentId`
 * names the child when it holds no place yet (an applicant); the platform maps only children the school registered.
 */
export type MoveOut = Command<'MoveOut', { studentId: string; effectiveOn: string }>;
export type StudentCommand = TakePlace | MovePlace | GiveUpPlace | ChangeDistrict | MoveOut;
