import type { IntegrationBodies, IntegrationType } from '../contracts/catalogue.js';

/** One public message a domain event turns into: its type and its body, before the envelope is added. */
export interface Translation<T extends IntegrationType = IntegrationType> {
  type: T;
  body: IntegrationBodies[T];
}

export const emit = <T extends IntegrationType>(type: T, body: IntegrationBodies[T]): Translation<T> => ({
  type,
  body,
});

/** Domain event data in, public messages out; one table per context, keyed by the stored event type. */
export type TranslatorTable = Record<string, (data: never) => Translation[]>;

/** Domain birth dates come as YYYY-MM or YYYY-MM-DD; the public contract gives the year only. */
export const birthYearOf = (born: string): number => Number(born.slice(0, 4));
