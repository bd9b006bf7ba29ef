import type { Command } from '#libs/decider';
import type { District } from '#libs/municipality';

export type JoinKulturdag = Command<'JoinKulturdag', { schoolId: string; schoolYear: string; district: District }>;
export type RegisterKulturdagPupils = Command<
  'RegisterKulturdagPupils',
  { pupils: readonly { pupilId: string; birthYear: number }[] }
>;
export type KulturdagCommand = JoinKulturdag | RegisterKulturdagPupils;
