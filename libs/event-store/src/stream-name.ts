import { InvalidEventError } from './errors.js';

// <tenant>.<context>.<aggregate>-<id>: lower-case tenant and context, id of letters, digits, '_' and '-'.
const STREAM_NAME = /^([a-z][a-z0-9-]{1,39})\.([a-z][a-z0-9-]{1,39})\.([a-z][a-z0-9-]{0,39})-([A-Za-z0-9_-]{1,100})$/;
// Past-tense PascalCase domain facts, e.g. PlaceOffered.
const EVENT_TYPE = /^[A-Z][A-Za-z0-9]{2,79}$/;

export interface StreamName {
  tenant: string;
  context: string;
  aggregate: string;
  id: string;
}

export const parseStreamName = (name: string): StreamName => {
  const match = STREAM_NAME.exec(name);
  if (!match) throw new InvalidEventError('streamName', `"${name}" is not <tenant>.<context>.<aggregate>-<id>`);
  const [, tenant = '', context = '', aggregate = '', id = ''] = match;
  return { tenant, context, aggregate, id };
};

export const streamName = (tenant: string, context: string, aggregate: string, id: string): string => {
  const name = `${tenant}.${context}.${aggregate}-${id}`;
  parseStreamName(name);
  return name;
};

export const assertEventType = (type: string): void => {
  if (!EVENT_TYPE.test(type)) throw new InvalidEventError('type', `"${type}" is not a PascalCase event type`);
};

export const isStreamName = (name: string): boolean => STREAM_NAME.test(name);
