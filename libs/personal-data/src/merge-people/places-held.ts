import { streamName, type EventStore } from '#libs/event-store';

/**
 * How many places the student with this id holds, read from enrolment's student stream by name: enrolment imports
 * this lib (to check its people), so this lib cannot import enrolment's fold. Taken adds a place, moved swaps it,
 * given up (or ended by a move out of the municipality) removes it.
 */
export const placesHeld = async (store: EventStore, tenant: string, studentId: string): Promise<number> => {
  const places = new Set<string>();
  for (const { type, data } of await store.readStream(streamName(tenant, 'enrolment', 'student', studentId))) {
    const event = data as { placeId?: string; fromPlaceId?: string; places?: { placeId: string }[] };
    if (type === 'StudentPlaceTaken' && event.placeId) places.add(event.placeId);
    if (type === 'StudentPlaceMoved' && event.placeId) {
      if (event.fromPlaceId) places.delete(event.fromPlaceId);
      places.add(event.placeId);
    }
    if (type === 'StudentPlaceGivenUp' && event.placeId) places.delete(event.placeId);
    if (type === 'StudentMovedOut') for (const place of event.places ?? []) places.delete(place.placeId);
  }
  return places.size;
};
