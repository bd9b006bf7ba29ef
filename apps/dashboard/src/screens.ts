import type { Role } from './session';

/** Every screen and the roles that may open it: the same roles the API lets read what the screen shows. */
export const SCREENS = [
  { path: 'oversikt', title: 'Oversikt', roles: ['admin', 'caseworker', 'auditor'] },
  { path: 'venteliste', title: 'Venteliste', roles: ['admin', 'caseworker'] },
  { path: 'arbeidslister', title: 'Arbeidslister', roles: ['admin', 'caseworker'] },
  { path: 'likeverd', title: 'Likeverd', roles: ['admin', 'auditor'] },
  { path: 'gsi', title: 'GSI', roles: ['admin', 'auditor'] },
  { path: 'revisjon', title: 'Revisjon', roles: ['admin', 'auditor'] },
] as const satisfies readonly { path: string; title: string; roles: readonly Role[] }[];

export type ScreenPath = (typeof SCREENS)[number]['path'];

export const screensFor = (role: Role) => SCREENS.filter((screen) => (screen.roles as readonly Role[]).includes(role));
