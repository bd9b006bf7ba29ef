import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { TOKEN_ROLES } from '#libs/platform';
import { fodselsnummerFor, type AppUnderTest } from '#libs/testing';
import { AnswerCheck } from './support/answer-check.js';
import { SchemaArbitraries, type Json } from './support/arbitraries.js';
import { operationsOf, type OpenApiDocument, type OperationAt, type Parameter } from './support/open-api.js';
import { seedSchool } from './support/seed.js';
import { startHostWithDocument } from './support/served-document.js';

/**
 * Issue 17, the API contract: every operation of the host's served OpenAPI document gets requests generated from its
 * own schemas with fast-check — valid ones with a token of a role it allows, bodies, path parameters and query strings
 * its schemas refuse, and calls without a token — and every answer is checked against the same document: no 5xx, no
 * status it does not list, no body that breaks the schema it declares for that status and content type.
 * CONTRACT_RUNS sets the requests per operation; CONTRACT_SEED repeats a run (the seed is printed).
 */
const RUNS = Number(process.env.CONTRACT_RUNS ?? 12);
const SEED = Number(process.env.CONTRACT_SEED ?? Date.now() % 2 ** 31);

type Kind = 'valid' | 'invalid body' | 'invalid path' | 'invalid query' | 'no token';
interface Attempt {
  kind: Kind;
  path: string;
  query: Record<string, Json>;
  body: Json | undefined;
  idempotencyKey?: string;
}

const paramsIn = (at: OperationAt, where: Parameter['in']) =>
  (at.operation.parameters ?? []).filter((parameter) => parameter.in === where);

const queryString = (query: Record<string, Json>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    search.append(key, typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
};

describe('the served OpenAPI document is the contract: generated requests, checked answers', () => {
  let sut: AppUnderTest;
  let document: OpenApiDocument;
  let seeded: Record<string, string>;
  let tokens: { role: string; token: string }[];

  beforeAll(async () => {
    ({ sut, document } = await startHostWithDocument());
    const operatorTenant = sut.runtime.config.OPERATOR_TENANT;
    tokens = [];
    for (const tenant of ['trondheim', operatorTenant]) {
      for (const role of TOKEN_ROLES) tokens.push({ role: `${role}@${tenant}`, token: await sut.token(role, tenant) });
    }
    seeded = await seedSchool(sut, await sut.token('admin'));
  });
  afterAll(async () => sut?.close());

  it('documents every operation fully: summary, success schema, errors as problem+json, token, Idempotency-Key', () => {
    const gaps = operationsOf(document).flatMap((at) => {
      const { operation } = at;
      const missing: string[] = [];
      if (!operation.summary) missing.push('summary');
      const success = Object.entries(operation.responses).filter(([status]) => /^2\d\d$/.test(status));
      const described = success.some(
        ([status, response]) => status === '204' || Boolean(response.content?.['application/json']?.schema),
      );
      if (!described) missing.push('a 2xx response with a schema');
      const secured = Boolean(operation.security?.length);
      const errors = secured ? ['401', '403', '429'] : ['429'];
      for (const status of errors) {
        if (!operation.responses[status]?.content?.['application/problem+json']?.schema)
          missing.push(`${status} problem`);
      }
      const isCommand = at.method !== 'get' && secured;
      if (isCommand && !operation.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key')) {
        missing.push('Idempotency-Key');
      }
      return missing.length ? [`${at.method.toUpperCase()} ${at.path}: no ${missing.join(', ')}`] : [];
    });
    const operations = operationsOf(document).length;
    console.log(`operations: ${operations}, fully documented: ${operations - gaps.length}`);
    expect(gaps).toEqual([]);
    expect(document.components.schemas.ProblemDetails).toBeDefined();
  });

  it('answers every generated request as its operation documents', async () => {
    const check = new AnswerCheck(document);
    const NATIONAL_ID = fodselsnummerFor('2013-04-04', 1);
    const operations = operationsOf(document);
    const failures: string[] = [];
    const byStatus = new Map<number, number>();
    let requests = 0;

    // Writes last, reads first, so the reads meet the seeded data before a command erases or closes it.
    const ordered = [...operations.filter((o) => o.method === 'get'), ...operations.filter((o) => o.method !== 'get')];
    for (const [index, at] of ordered.entries()) {
      const seed = SEED + index;
      const name = `${at.method.toUpperCase()} ${at.path}`;
      const known = (field: string): Json | undefined => {
        if (field === 'applicationId' && at.path.startsWith('/funding')) return seeded.waiverApplicationId;
        if (/nationalId$/i.test(field)) return NATIONAL_ID;
        if (field === 'schoolYear') return seeded.schoolYear;
        return seeded[field];
      };
      const arbitraries = new SchemaArbitraries(document.components.schemas, known);
      const pathParams = paramsIn(at, 'path');
      const queryParams = paramsIn(at, 'query');
      const bodySchema = at.operation.requestBody?.content['application/json']?.schema;

      const pathOf = (values: Record<string, Json>) =>
        at.path.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(String(values[key])));
      // An empty path segment is another route (or none), not this operation with a wrong value.
      const segment = (p: Parameter) =>
        arbitraries.valid(p.schema ?? { type: 'string' }, p.name).filter((value) => String(value) !== '');
      const validPath = fc.record(Object.fromEntries(pathParams.map((p) => [p.name, segment(p)])));
      const validQuery = fc.record(
        Object.fromEntries(queryParams.map((p) => [p.name, arbitraries.valid(p.schema ?? { type: 'string' }, p.name)])),
        { requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name) },
      );
      const validBody: fc.Arbitrary<Json | undefined> = bodySchema
        ? arbitraries.valid(bodySchema)
        : fc.constant(undefined);
      const key = fc.option(
        fc.uuid().map((id) => `contract-${id}`),
        { nil: undefined },
      );
      const attempt = (kind: Kind, path = validPath, query = validQuery, body = validBody) =>
        fc.record({ kind: fc.constant(kind), path: path.map(pathOf), query, body, idempotencyKey: key });

      const kinds: { weight: number; arbitrary: fc.Arbitrary<Attempt> }[] = [
        { weight: 4, arbitrary: attempt('valid') },
        { weight: 1, arbitrary: attempt('no token') },
      ];
      if (bodySchema)
        kinds.push({
          weight: 2,
          arbitrary: attempt('invalid body', undefined, undefined, arbitraries.invalid(bodySchema)),
        });
      if (pathParams.length) {
        const one = fc
          .constantFrom(...pathParams)
          .chain((bad) =>
            validPath.chain((values) =>
              fc
                .oneof(
                  arbitraries.invalid(bad.schema),
                  fc.constant(randomUUID()),
                  fc.string({ minLength: 1, maxLength: 5 }),
                )
                .map((value) => ({ ...values, [bad.name]: value })),
            ),
          );
        kinds.push({ weight: 1, arbitrary: attempt('invalid path', one as fc.Arbitrary<Record<string, Json>>) });
      }
      if (queryParams.length) {
        const one = fc
          .constantFrom(...queryParams)
          .chain((bad) =>
            validQuery.chain((values) =>
              arbitraries.invalid(bad.schema).map((value) => ({ ...values, [bad.name]: value })),
            ),
          );
        kinds.push({
          weight: 1,
          arbitrary: attempt('invalid query', undefined, one as fc.Arbitrary<Record<string, Json>>),
        });
      }
      const samples = fc.sample(fc.oneof(...kinds), { numRuns: RUNS, seed });
      // The first is always a plain valid request, so every operation is tried with what it takes.
      samples.unshift(fc.sample(attempt('valid'), { numRuns: 1, seed })[0] as Attempt);

      const secured = Boolean(at.operation.security?.length);
      const token = secured
        ? await allowedToken(at, pathOf(fc.sample(validPath, { numRuns: 1, seed })[0] ?? {}))
        : undefined;
      for (const sample of samples) {
        requests += 1;
        const url = `${sample.path}${queryString(sample.query)}`;
        const response = await fetch(`${sut.baseUrl}${url}`, {
          method: at.method.toUpperCase(),
          headers: {
            ...(token && sample.kind !== 'no token' ? { authorization: `Bearer ${token}` } : {}),
            ...(sample.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(sample.idempotencyKey && at.method !== 'get' ? { 'idempotency-key': sample.idempotencyKey } : {}),
          },
          body: sample.body === undefined ? undefined : JSON.stringify(sample.body),
        });
        const text = await response.text();
        const contentType = response.headers.get('content-type') ?? '';
        let body: unknown = text === '' ? undefined : text;
        if (contentType.includes('json') && text) body = JSON.parse(text);
        byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
        const problem = check.problemWith(at.operation, { status: response.status, contentType, body });
        if (problem) {
          failures.push(
            `${name} (${sample.kind}) ${at.method.toUpperCase()} ${url} ${JSON.stringify(sample.body ?? null).slice(0, 200)}\n    → ${problem}`,
          );
        }
      }
    }

    const statuses = [...byStatus].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`);
    console.log(
      `contract: operations: ${operations.length}, requests tried: ${requests}, failures: ${failures.length} ` +
        `(seed ${SEED}, ${RUNS + 1} per operation)\n  answers by status: ${statuses.join(', ')}` +
        (failures.length ? `\n  ${failures.join('\n  ')}` : ''),
    );
    expect(failures).toEqual([]);
    expect(operations.length).toBeGreaterThan(60);
  });

  /** A token of a role the operation allows: the first whose plain request is not refused with 403. */
  const allowedToken = async (at: OperationAt, path: string): Promise<string | undefined> => {
    for (const { token } of tokens) {
      const response = await fetch(`${sut.baseUrl}${path}`, {
        method: at.method.toUpperCase(),
        headers: {
          authorization: `Bearer ${token}`,
          ...(at.method === 'get' ? {} : { 'content-type': 'application/json' }),
        },
        // An empty list is no command's body: the guard decides before the body is read for meaning.
        body: at.method === 'get' ? undefined : '[]',
      });
      await response.arrayBuffer();
      if (response.status !== 403) return token;
    }
    return tokens[0]?.token;
  };
});
