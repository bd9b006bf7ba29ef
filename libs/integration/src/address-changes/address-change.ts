import { createHash } from 'node:crypto';
import addressChangedSchema from '../contracts/schemas/folkeregister/address-changed.v1.json' with { type: 'json' };
import type { DistrictV1 } from '../contracts/enrolment.v1.js';
import { SchemaValidator } from '../contracts/validation.js';

export interface AddressChangedV1 {
  changeId: string;
  subjectRef: string;
  district: DistrictV1;
  effectiveOn: string;
  movedOut?: false;
}

/** The same topic's message for a move out of the municipality: no district, since the person lives elsewhere. */
export interface MovedOutOfMunicipalityV1 {
  changeId: string;
  subjectRef: string;
  movedOut: true;
  effectiveOn: string;
}

export const ADDRESS_CHANGED_TOPIC = 'folkeregister.address-changed.v1';
export const ADDRESS_CHANGED_DLQ = `${ADDRESS_CHANGED_TOPIC}.dlq`;

const validator = new SchemaValidator([[ADDRESS_CHANGED_TOPIC, addressChangedSchema]]);

export type ParsedAddressChange =
  { ok: true; change: AddressChangedV1 | MovedOutOfMunicipalityV1 } | { ok: false; reason: string };

/** Bytes off the topic → a valid change, or the reason it is not one (for the dead-letter header). */
export const parseAddressChange = (value: Buffer | string | null | undefined): ParsedAddressChange => {
  if (value === null || value === undefined || value.length === 0) return { ok: false, reason: 'empty message' };
  let body: unknown;
  try {
    body = JSON.parse(value.toString());
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
  const errors = validator.errors(ADDRESS_CHANGED_TOPIC, body);
  return errors
    ? { ok: false, reason: `schema: ${errors}` }
    : { ok: true, change: body as AddressChangedV1 | MovedOutOfMunicipalityV1 };
};

/** A uuid fixed by the change id, so a redelivered change is the same command (and the same event ids). */
export const commandIdFor = (changeId: string): string => {
  const hex = createHash('sha256').update(`folkeregister/${changeId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};
