/**
 * The municipality's reference data, one list for every context. Today Trondheim's districts; a later change makes
 * them tenant data, so nothing else may type them out.
 */
export const DISTRICTS = ['Midtbyen', 'Østbyen', 'Lerkendal', 'Heimdal', 'Klæbu'] as const;
export type District = (typeof DISTRICTS)[number];
