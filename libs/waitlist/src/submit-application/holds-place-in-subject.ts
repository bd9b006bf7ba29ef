import type { EventStore } from '#libs/event-store';
import { evolveStudent, initialStudent, offeringStream, studentStream, type StudentEvent } from '#libs/enrolment';

const subjectOf = async (store: EventStore, tenant: string, offeringId: string): Promise<string | undefined> => {
  const opened = (await store.readStream(offeringStream(tenant, offeringId))).find((e) => e.type === 'OfferingOpened');
  return (opened?.data as { subject?: string } | undefined)?.subject;
};

/**
 * Whether the child holds a place now (on leave or not) in an offering of the same subject as `offeringId`: an
 * application to keep an existing place (Lindesnes' first criterion), e.g. for the same subject in the next school
 * year or at another location. Read from the streams, as `holdsAPlace` is.
 */
export const holdsPlaceInSubject = async (
  store: EventStore,
  tenant: string,
  childId: string,
  offeringId: string,
): Promise<boolean> => {
  const student = (await store.readStream(studentStream(tenant, childId))).reduce(
    (state, e) => evolveStudent(state, { type: e.type, data: e.data } as StudentEvent),
    initialStudent,
  );
  if (student.status !== 'Known') return false;
  const subject = await subjectOf(store, tenant, offeringId);
  if (subject === undefined) return false;
  for (const held of new Set(Object.values(student.places))) {
    if (held !== offeringId && (await subjectOf(store, tenant, held)) === subject) return true;
  }
  return false;
};
