import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { ApiResponseSchemaHost } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem.js';

/** An OpenAPI schema object (the package does not export its type by name). */
export type SchemaObject = ApiResponseSchemaHost['schema'];

/**
 * The API contract's shared parts (issue 17): the problem+json schema, the errors every operation can answer, and one
 * decorator per kind of operation, so a route says what is its own (summary, answer, refusals) in one line and the
 * rest is the same everywhere. The contract test (test/contract) checks every answer against what these declare.
 */

const PROBLEMS = 'https://kulturskole.example/problems/';

/** The problem `type` values the platform answers with, by status, and what each means (problem-details.filter.ts). */
export const PROBLEM_TYPES: Record<number, Record<string, string>> = {
  400: {
    [`${PROBLEMS}validation`]: 'A field is missing or wrong; `errors` names each field at fault.',
    [`${PROBLEMS}invalid-event`]: 'The event the command would write breaks its schema; `errors` names the field.',
    [`${PROBLEMS}invalid-query`]: 'A query parameter cannot be answered as asked.',
    'about:blank': 'The body is not JSON, or a header (Idempotency-Key) is malformed.',
  },
  401: { 'about:blank': 'No token, or a token that is expired, unsigned or from another issuer or audience.' },
  403: { 'about:blank': "The token's role may not use this operation (or the token is not the operators')." },
  404: { 'about:blank': 'Nothing of that id in the caller’s tenant.' },
  409: {
    [`${PROBLEMS}concurrent-change`]: 'Someone else changed the same thing at the same time; reload and retry.',
    [`${PROBLEMS}idempotency-mismatch`]: 'The event ids of this Idempotency-Key were stored with other data.',
    'about:blank': 'A request with this Idempotency-Key is still being processed.',
  },
  413: { [`${PROBLEMS}fst-err-ctp-body-too-large`]: 'The body is larger than the server takes.' },
  415: { [`${PROBLEMS}fst-err-ctp-invalid-media-type`]: 'The body is not `application/json`.' },
  422: { 'about:blank': 'This Idempotency-Key was used before with another body.' },
  429: { [`${PROBLEMS}rate-limited`]: 'Too many requests from this token or address; wait `Retry-After` seconds.' },
  503: {
    [`${PROBLEMS}database-unavailable`]: 'The database cannot be reached just now; `Retry-After` says when to retry.',
    [`${PROBLEMS}store-busy`]: 'Recent changes are still being written; retry shortly.',
    [`${PROBLEMS}not-ready`]: 'Readiness only: names the checks that failed (database, migrations, kafka).',
  },
};

const STATUS_MEANING: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  503: 'Service unavailable',
};

export class ProblemField {
  @ApiProperty({ example: 'child.nationalId' }) field!: string;
  @ApiProperty({ example: 'nationalId must be a valid fødselsnummer' }) message!: string;
}

/** RFC 9457 problem details: the body of every 4xx and 5xx (`application/problem+json`). */
export class ProblemDetails {
  @ApiProperty({
    description: 'What kind of problem: a URI under https://kulturskole.example/problems/, or about:blank',
    example: `${PROBLEMS}validation`,
  })
  type!: string;
  @ApiProperty({ example: 'Bad request' }) title!: string;
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 }) status!: number;
  @ApiProperty({ example: 'The request is not valid' }) detail!: string;
  @ApiPropertyOptional({ description: 'The path the problem is about', example: '/enrolment/offerings' })
  instance?: string;
  @ApiPropertyOptional({ type: [ProblemField], description: 'The fields at fault, when the input was wrong' })
  errors?: ProblemField[];
}

/** A refusal of the domain (a `DomainError` class): its problem type is its class name in kebab case. */
export interface Refusal {
  name: string;
  prototype: { kind?: string };
}
const REFUSAL_STATUS: Record<string, number> = { invalid: 400, not_found: 404, conflict: 409 };
const kebab = (value: string) => value.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** The error statuses an operation documents, with the refusals (domain errors) that answer with each. */
export interface ErrorsOptions {
  /** Statuses beyond the ones every operation of its kind answers. */
  errors?: number[];
  /** The domain's refusals this operation can answer with, each listed as a `type` of its status. */
  refusals?: { refusal: Refusal; kind: 'invalid' | 'not_found' | 'conflict' }[];
}

/** `refused(PlaceNotFound, 'not_found')`: a refusal and its kind, for an operation's `refusals`. */
export const refused = (refusal: Refusal, kind: 'invalid' | 'not_found' | 'conflict') => ({ refusal, kind });

const problemResponse = (status: number, extraTypes: Record<string, string>) => {
  const types = { ...PROBLEM_TYPES[status], ...extraTypes };
  const list = Object.entries(types)
    .map(([type, meaning]) => `- \`${type}\`: ${meaning}`)
    .join('\n');
  return ApiResponse({
    status,
    description: `${STATUS_MEANING[status] ?? 'Error'} (problem+json). Its \`type\` values:\n${list}`,
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: {
          allOf: [
            { $ref: getSchemaPath(ProblemDetails) },
            { type: 'object', properties: { status: { type: 'integer', enum: [status] } } },
          ],
        },
      },
    },
    ...(status === 429 || status === 503
      ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } }
      : {}),
  });
};

/** The problem+json answers of an operation: each status with its `type` values. */
export const ApiProblems = (statuses: number[], refusals: ErrorsOptions['refusals'] = []) => {
  const byStatus = new Map<number, Record<string, string>>();
  for (const { refusal, kind } of refusals) {
    const status = REFUSAL_STATUS[kind] ?? 400;
    const types = byStatus.get(status) ?? {};
    types[`${PROBLEMS}${kebab(refusal.name)}`] = `Refused by the domain (${refusal.name}).`;
    byStatus.set(status, types);
  }
  const all = [...new Set([...statuses, ...byStatus.keys()])].sort((a, b) => a - b);
  return applyDecorators(ApiExtraModels(ProblemDetails), ...all.map((s) => problemResponse(s, byStatus.get(s) ?? {})));
};

/** A field of a response `shape`: a JSON type by name, `?` at the end when it may be left out, or a schema. */
export type FieldSpec =
  | 'string'
  | 'uuid'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'date'
  | 'date-time'
  | 'object'
  | 'string[]'
  | 'object[]'
  | `${'string' | 'uuid' | 'integer' | 'number' | 'boolean' | 'date' | 'date-time' | 'object' | 'string[]' | 'object[]'}?`
  | SchemaObject;

const SCALARS: Record<string, SchemaObject> = {
  string: { type: 'string' },
  uuid: { type: 'string', format: 'uuid' },
  integer: { type: 'integer' },
  number: { type: 'number' },
  boolean: { type: 'boolean' },
  date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
  'date-time': { type: 'string' },
  object: { type: 'object', additionalProperties: true },
  'string[]': { type: 'array', items: { type: 'string' } },
  'object[]': { type: 'array', items: { type: 'object', additionalProperties: true } },
};

/**
 * A response body's schema in one line: `shape({ offeringId: 'uuid', revision: 'integer?' })`. Properties not named
 * are allowed (an answer may grow), the named ones must have their type, and those without `?` must be there.
 */
export const shape = (fields: Record<string, FieldSpec>, extra: SchemaObject = {}): SchemaObject => {
  const properties: Record<string, SchemaObject> = {};
  const required: string[] = [];
  for (const [name, spec] of Object.entries(fields)) {
    if (typeof spec === 'string') {
      const optional = spec.endsWith('?');
      properties[name] = { ...SCALARS[optional ? spec.slice(0, -1) : spec] };
      if (!optional) required.push(name);
    } else {
      properties[name] = spec;
      required.push(name);
    }
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}), ...extra };
};

/** `listOf(shape({...}))`: an array of the item's schema. */
export const listOf = (items: SchemaObject): SchemaObject => ({ type: 'array', items });

export interface OperationDoc extends ErrorsOptions {
  summary: string;
  description?: string;
  /** The success answer's body; a DTO class or a schema (see `shape`). */
  response?: SchemaObject | (abstract new (...args: never[]) => unknown);
  /** The success status when not the method's default. */
  status?: number;
  /** An example of the success answer. */
  example?: unknown;
  /** Other content types of the success answer (`text/csv`, `text/plain`), each a string. */
  alsoProduces?: string[];
}

const successResponse = (doc: OperationDoc, status: number) => {
  if (status === 204) return ApiResponse({ status, description: 'Done; no body' });
  const schema: SchemaObject =
    typeof doc.response === 'function'
      ? { $ref: getSchemaPath(doc.response as never) }
      : (doc.response ?? { type: 'object', additionalProperties: true });
  const content: Record<string, { schema: SchemaObject; example?: unknown }> = {
    'application/json': { schema, ...(doc.example === undefined ? {} : { example: doc.example }) },
  };
  for (const type of doc.alsoProduces ?? []) content[type] = { schema: { type: 'string' } };
  return applyDecorators(
    ...(typeof doc.response === 'function' ? [ApiExtraModels(doc.response as never)] : []),
    ApiResponse({ status, description: 'Success', content }),
  );
};

/** Every authenticated operation's own errors: a bad token, a role not allowed, too many requests, a database out. */
const EVERY_SECURED = [401, 403, 429, 503];

/**
 * A command (POST, PUT, DELETE that changes something): summary, success answer, the `Idempotency-Key` header, the
 * bearer token and every error a command can answer — bad input (400), a body that is not JSON (415) or too large
 * (413), a concurrent change or a key still running (409), a key reused with another body (422) — plus its refusals.
 */
export const CommandOperation = (doc: OperationDoc, method: 'POST' | 'PUT' | 'DELETE' = 'POST') =>
  applyDecorators(
    ApiOperation({ summary: doc.summary, ...(doc.description ? { description: doc.description } : {}) }),
    ApiBearerAuth(),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Send the same key (8–128 letters, digits or `._:-`) to retry safely: the same key and body replay the ' +
        'first answer (header `Idempotent-Replayed: true`) without a second change; the same key with another body ' +
        'is 422; while the first is still running, 409. Keys are kept per tenant.',
      schema: { type: 'string', pattern: '^[\\w.:-]{8,128}$', example: 'b3c1f2a0-enrol-2026-0001' },
    }),
    successResponse(doc, doc.status ?? (method === 'POST' ? 201 : 200)),
    ApiProblems([400, 409, 413, 415, 422, ...EVERY_SECURED, ...(doc.errors ?? [])], doc.refusals),
  );

/** A query (GET): summary, success answer, the bearer token, and its errors (bad query 400, and every secured one). */
export const QueryOperation = (doc: OperationDoc) =>
  applyDecorators(
    ApiOperation({ summary: doc.summary, ...(doc.description ? { description: doc.description } : {}) }),
    ApiBearerAuth(),
    successResponse(doc, doc.status ?? 200),
    ApiProblems([400, ...EVERY_SECURED, ...(doc.errors ?? [])], doc.refusals),
  );

/** An open operation (health, sign-in settings): no token, so only bad input, too many requests and outages. */
export const PublicOperation = (doc: OperationDoc) =>
  applyDecorators(
    ApiOperation({ summary: doc.summary, ...(doc.description ? { description: doc.description } : {}) }),
    successResponse(doc, doc.status ?? 200),
    ApiProblems([429, ...(doc.errors ?? [])], doc.refusals),
  );

/** The roles that may use an operation, said at the end of its description. */
export const withRoles = (doc: OperationDoc, roles: readonly string[]): OperationDoc => ({
  ...doc,
  description: `${doc.description ? `${doc.description}\n\n` : ''}Roles: ${roles.join(', ')}.`,
});
