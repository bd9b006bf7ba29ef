import type { RecordedEvent } from '#libs/event-store';
import { contractFor } from '../contracts/catalogue.js';
import { enrolmentTranslators } from './enrolment.translator.js';
import { fundingTranslators } from './funding.translator.js';
import type { IntegrationMessage } from './integration-message.js';
import type { Translation, TranslatorTable } from './translation.js';
import { waitlistTranslators } from './waitlist.translator.js';

// Keyed by the stream's context too: an event type is only trusted from the context that owns it.
const TABLES: Record<string, TranslatorTable> = {
  enrolment: enrolmentTranslators,
  waitlist: waitlistTranslators,
  funding: fundingTranslators,
};

/** Stored event types the relay publishes; its read of `$all` filters on them. */
export const TRANSLATED_EVENT_TYPES: readonly string[] = [
  ...new Set(Object.values(TABLES).flatMap((table) => Object.keys(table))),
];

const contextOf = (streamName: string): string => streamName.split('.')[1] ?? '';

/** The public messages a stored domain event becomes: none for internal events. */
export const translate = (event: RecordedEvent): IntegrationMessage[] => {
  const context = contextOf(event.streamName);
  const translator = TABLES[context]?.[event.type] as ((data: unknown) => Translation[]) | undefined;
  if (!translator) return [];
  return translator(event.data).map(({ type, body }) => {
    const contract = contractFor(type);
    return {
      id: event.eventId,
      type,
      topic: contract.topic,
      key: event.streamName,
      source: `/kulturskole/${event.metadata.tenant}/${context}`,
      time: event.metadata.occurredAt,
      tenant: event.metadata.tenant,
      correlationId: event.metadata.correlationId,
      schemaVersion: contract.schemaVersion,
      body,
    };
  });
};
