import type { EventStore } from '#libs/event-store';
import { offeringStream, type Student } from '#libs/enrolment';

const subjectOf = async (store: EventStore, tenant: string, offeringId: string): Promise<string | undefined> => {
  const opened = (await store.readStream(offeringStream(tenant, offeringId))).find((e) => e.type === 'OfferingOpened');
  return (opened?.data as { subject?: string } | undefined)?.subject;
};

/**
 * Whether the child holds a place now (on leave or not) in an offering of the same subject as `offeringId`: an
 * application to keep an existing place (Lindesnes' first criterion), e.g. for the same subject in the next school
 * year or at another location. The offerings' subjects are read from their streams.
 */
export const holdsPlaceInSubject = async (
  store: EventStore,
  tenant: string,
  student: Student,
  offeringId: string,
): Promise<boolean> => {
  if (student.status !== 'Known') return false;
  const subject = await subjectOf(store, tenant, offeringId);
  if (subject === undefined) return false;
  for (const held of new Set(Object.values(student.places))) {
    if (held !== offeringId && (await subjectOf(store, tenant, held)) === subject) return true;
  }
  return false;
};
