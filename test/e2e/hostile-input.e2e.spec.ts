import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { setupOpenApi } from '#libs/query';
import { fodselsnummerFor, startAppUnderTest, type AppUnderTest } from '#libs/testing';
import { HostModule } from '../../apps/host/src/host.module.js';
import { hostMigrations } from '../../apps/host/src/migrations.js';

/**
 * Issue 13, bad input: every write operation (POST, PUT) of the host's served OpenAPI document gets hostile requests
 * generated from its schema: control characters in strings, impossible days, implausible school years, wrong types,
 * nulls, omitted fields and nested objects, arrays for objects, unknown fields, bodies for operations that take none,
 * and hostile path parameters. Whatever comes in: no 5xx; every 4xx is problem+json and writes nothing (no event of
 * the request, no personal-data row changed); a request that cannot be right is a 400 naming the field at fault.
 */

interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minimum?: number;
  deprecated?: boolean;
  additionalProperties?: boolean | Schema;
}
interface OpenApi {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, Schema> };
}
interface OpenApiOperation {
  parameters?: { in: string; name: string }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface Operation {
  method: 'POST' | 'PUT';
  path: string;
  /** From the path template, so an undocumented one is still sent. */
  params: string[];
  documentedParams: string[];
  body?: Schema;
}
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One hostile request: its body (or none), its path parameters, and the field a 400 must name, when it must be one. */
interface Probe {
  kind: string;
  body: Json | undefined;
  /** Sent as is (malformed JSON) instead of `body`. */
  raw?: string;
  params: Record<string, string>;
  /** Undefined when the request may also be taken (a random id, null for an optional field). */
  mustRefuse?: string;
}
interface Field {
  path: string[];
  schema: Schema;
  required: boolean;
}

const CONTROL = ['\u0000', '\u0007', '\u001b'];
const EDGE_DAYS = ['2026-13-01', '2026-12-32', '2025-02-30', '0000-01-01'];
const BAD_SCHOOL_YEARS = ['0000-0001', '2025-2027', '2025/2026'];
const SCHOOL_YEAR = '2026-2027';
const DAY = /^\d{4}-\d{2}-\d{2}/;
const SMUGGLED: Record<string, Json> = { status: 'granted', tenant: 'bergen', revision: 7 };
const UNKNOWN_FIELDS: Record<string, Json>[] = [SMUGGLED, { status: 'granted' }, { tenant: 'bergen' }, { revision: 7 }];
const RUNS = 15;
/** The random part repeats with HOSTILE_INPUT_SEED=<the seed printed>. */
const SEED = Number(process.env.HOSTILE_INPUT_SEED ?? Date.now() % 2 ** 31);
const PERSONAL_TABLES = ['subject_keys', 'subject_identities', 'personal_fields'];

const at = (field: Field) => field.path.join('.');
const isObjectSchema = (schema: Schema) => schema.type === 'object' || Boolean(schema.properties);

const setAt = (body: Json, path: string[], value: Json | undefined): Json => {
  const copy = structuredClone(body);
  let node = copy as Record<string, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, Json>;
  const last = path[path.length - 1] ?? '';
  if (value !== undefined) node[last] = value;
  else if (Array.isArray(node)) node.splice(Number(last), 1);
  else delete node[last];
  return copy;
};
const getAt = (body: Json, path: string[]): Json =>
  path.reduce<Json>((node, key) => (node as Record<string, Json>)[key] ?? null, body);

/** Values of the wrong JSON type for a field of `schema`. */
const wrongTypes = (schema: Schema): Json[] => {
  const kind = schema.type === 'integer' ? 'number' : isObjectSchema(schema) ? 'object' : schema.type;
  return (['Tekst', 12, true, {}, [], [1, 2]] as Json[]).filter((value) =>
    Array.isArray(value) ? kind !== 'array' : typeof value !== kind,
  );
};

describe('hostile input to every write operation of the served OpenAPI', () => {
  let sut: AppUnderTest;
  let token: string;
  let operations: Operation[];
  let schemas: Record<string, Schema>;
  /** Path parameters of resources that exist, made before the probes. */
  let existing: Record<string, string>;

  const resolve = (schema: Schema): Schema => {
    if (schema.$ref) return resolve(schemas[schema.$ref.split('/').pop() ?? ''] ?? {});
    const [only] = schema.allOf ?? [];
    if (only && schema.allOf?.length === 1) return { ...resolve(only), ...schema, allOf: undefined };
    return schema;
  };

  const post = async (url: string, body: Json) => {
    const response = await sut.request('POST', url, { token, body });
    if (response.status >= 300) throw new Error(`${url}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as Record<string, string>;
  };

  /** One offering with a place, a waitlist application (its child and, when made, an offer), a waiver application and a Kulturdag school. */
  const makeExistingResources = async (): Promise<Record<string, string>> => {
    const { offeringId = '' } = await post('/enrolment/offerings', {
      ...{ subject: 'Piano', subjectGroup: 'music', programme: 'core', location: 'Ranheim', district: 'Østbyen' },
      ...{ form: 'individual', capacity: 30, feePerSemesterNok: 2105, schoolYear: SCHOOL_YEAR },
    });
    const { personId = '' } = await post('/people', {
      ...{ nationalId: fodselsnummerFor('2014-06-01', 2), name: 'Siri Nordmann', gender: 'female' },
    });
    const { placeId = '' } = await post(`/enrolment/offerings/${offeringId}/places`, {
      ...{ personId, birthYear: 2014, gender: 'female', district: 'Østbyen', school: 'Ranheim skole' },
    });
    const { applicationId = '', childId = '' } = await post(`/waitlist/offerings/${offeringId}/applications`, {
      child: {
        name: 'Ola Nordmann',
        nationalId: fodselsnummerFor('2015-03-01', 1),
        gender: 'male',
        district: 'Østbyen',
      },
      guardian: { name: 'Kari Nordmann', email: 'kari@example.no' },
      specialNeeds: false,
    });
    const { applicationId: waiverApplicationId = '' } = await post('/funding/fee-waivers/applications', {
      ...{ payerNationalId: fodselsnummerFor('1985-05-05', 2), householdSize: 3, householdIncomeNok: 300_000 },
      schoolYear: SCHOOL_YEAR,
    });
    await post('/enrolment/kulturdag/schools/berg-skole/join', { schoolYear: SCHOOL_YEAR, district: 'Østbyen' });
    await sut.runtime.store.awaitSettled();
    const offer = await sut.db.pool.query<{ id: string }>(
      `SELECT data->>'offerId' AS id FROM es_events WHERE data ? 'offerId' ORDER BY position LIMIT 1`,
    );
    return {
      ...{ offeringId, placeId, applicationId, waiverApplicationId, childId, subjectId: childId, personId: childId },
      ...{ offerId: offer.rows[0]?.id ?? randomUUID(), schoolId: 'berg-skole', schoolYear: SCHOOL_YEAR },
      ...{ context: 'waitlist', name: 'statistics' },
    };
  };

  beforeAll(async () => {
    sut = await startAppUnderTest((runtime) => HostModule.forRuntime(runtime), {
      migrations: hostMigrations,
      beforeListen: (app) => setupOpenApi(app, { title: 'Kulturskole platform', description: 'all', version: '1' }),
    });
    token = await sut.token('admin');
    const document = (await (await fetch(`${sut.baseUrl}/docs-json`)).json()) as OpenApi;
    schemas = document.components.schemas;
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      (['post', 'put'] as const).flatMap((method) => {
        const operation = methods[method];
        if (!operation) return [];
        return [
          {
            method: method.toUpperCase() as 'POST' | 'PUT',
            path,
            params: [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? ''),
            documentedParams: (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
            body: operation.requestBody?.content['application/json']?.schema,
          },
        ];
      }),
    );
    existing = await makeExistingResources();
  });
  afterAll(async () => sut.close());

  // ---- a valid request, from the schema ----

  const paramsOf = (operation: Operation): Record<string, string> =>
    Object.fromEntries(
      operation.params.map((name) => {
        if (name === 'applicationId' && operation.path.startsWith('/funding'))
          return [name, existing.waiverApplicationId ?? ''];
        return [name, existing[name] ?? randomUUID()];
      }),
    );

  const NATIONAL_ID = fodselsnummerFor('1990-01-01', 3);
  const sampleOf = (name: string, schema: Schema): Json => {
    if (schema.example !== undefined) return schema.example as Json;
    if (schema.enum?.length) return schema.enum[0] as Json;
    if (/nationalId$/i.test(name)) return NATIONAL_ID;
    if (name === 'schoolYear') return SCHOOL_YEAR;
    if (name === 'email' || schema.format === 'email') return 'kari@example.no';
    if (/At$/.test(name)) return '2026-03-01T10:00:00Z';
    if (/Id$/.test(name)) return /offeringId$/i.test(name) ? (existing.offeringId ?? '') : randomUUID();
    if (schema.type === 'integer' || schema.type === 'number') return schema.minimum ?? 1;
    if (schema.type === 'boolean') return false;
    return 'Tekst';
  };

  /** The body the schema describes, with every property (required or not) but deprecated ones, which replacements exclude. */
  const validOf = (schema: Schema, name = ''): Json => {
    const s = resolve(schema);
    if (s.type === 'array' && s.items) return [validOf(s.items, name)];
    if (s.properties)
      return Object.fromEntries(
        Object.entries(s.properties)
          .filter(([, value]) => !resolve(value).deprecated)
          .map(([key, value]) => [key, validOf(value, key)]),
      );
    return sampleOf(name, s);
  };

  /** Every field of a body, nested ones and array items included (`child.name`, `pupils.0`, `pupils.0.birthYear`). */
  const fieldsOf = (schema: Schema, path: string[] = []): Field[] => {
    const s = resolve(schema);
    if (s.type === 'array' && s.items) {
      const item = { path: [...path, '0'], schema: resolve(s.items), required: true };
      return isObjectSchema(item.schema) ? [item, ...fieldsOf(s.items, item.path)] : [];
    }
    return Object.entries(s.properties ?? {}).flatMap(([key, value]) => {
      const field = { path: [...path, key], schema: resolve(value), required: (s.required ?? []).includes(key) };
      return [field, ...fieldsOf(value, field.path)];
    });
  };

  // ---- hostile requests: a fixed set that hits every field with every edge value, and fast-check's random ones ----

  /** Hostile values of a path parameter, each with whether it must be refused. */
  const hostileParams = (name: string): { value: string; mustRefuse: boolean }[] => {
    if (name === 'schoolYear')
      return BAD_SCHOOL_YEARS.map((year) => ({ value: encodeURIComponent(year), mustRefuse: true }));
    if (/Id$/.test(name) && name !== 'schoolId')
      return [
        { value: randomUUID(), mustRefuse: false },
        { value: 'not-a-uuid', mustRefuse: true },
        { value: encodeURIComponent(`${randomUUID()}\u0000`), mustRefuse: true },
      ];
    return [
      { value: 'nonsense', mustRefuse: false },
      { value: encodeURIComponent('Berg\u0000skole'), mustRefuse: true },
      { value: encodeURIComponent('Berg skole\u001b'), mustRefuse: true },
    ];
  };

  const pathProbes = (operation: Operation, body: Json | undefined): Probe[] =>
    operation.params.flatMap((name) =>
      hostileParams(name).map(({ value, mustRefuse }) => ({
        kind: 'path parameter',
        body,
        params: { ...paramsOf(operation), [name]: value },
        mustRefuse: mustRefuse ? name : undefined,
      })),
    );

  /** Changes to a valid body, each one thing wrong; `every` lists each field with each edge value. */
  const bodyChanges = (operation: Operation) => {
    const schema = operation.body as Schema;
    const valid = validOf(schema);
    const params = paramsOf(operation);
    const fields = fieldsOf(schema);
    const strings = fields.filter((f) => f.schema.type === 'string' && !f.schema.enum);
    const days = fields.filter((f) => DAY.test(String(getAt(valid, f.path))) && f.path.at(-1) !== 'schoolYear');
    const years = fields.filter((f) => f.path.at(-1) === 'schoolYear');
    const objects = fields.filter((f) => isObjectSchema(f.schema));
    const probe = (kind: string, body: Json | undefined, mustRefuse?: string): Probe => ({
      kind,
      body,
      params,
      mustRefuse,
    });
    const withControl = (field: Field, control: string, offset: number) => {
      const text = String(getAt(valid, field.path));
      const i = offset % (text.length + 1);
      return probe(
        'control character',
        setAt(valid, field.path, text.slice(0, i) + control + text.slice(i)),
        at(field),
      );
    };
    const withDay = (field: Field, day: string) =>
      probe('impossible day', setAt(valid, field.path, day + String(getAt(valid, field.path)).slice(10)), at(field));
    const withYear = (field: Field, year: string) => probe('school year', setAt(valid, field.path, year), at(field));
    const withNull = (field: Field) =>
      probe('null field', setAt(valid, field.path, null), field.required ? at(field) : undefined);
    const omitted = (field: Field) =>
      probe('omitted', setAt(valid, field.path, undefined), field.required ? at(field) : undefined);
    const withArray = (field: Field, value: Json) =>
      probe('array for object', setAt(valid, field.path, value), at(field));
    const wholeBody = (body: Json) => probe('whole body', body, 'body');
    const unknown = (extra: Record<string, Json>) =>
      probe('unknown field', { ...(valid as object), ...extra }, Object.keys(extra)[0]);

    const every: Probe[] = [
      // A request as documented, twice: the second is refused by the domain (a 409, a 404) more often than not.
      probe('as documented', valid),
      probe('as documented, again', valid),
      wholeBody(null),
      wholeBody([]),
      { ...probe('malformed JSON', undefined, 'body'), raw: '{"a":' },
      unknown(SMUGGLED),
      ...strings.map((field) => withControl(field, '\u0000', 3)),
      ...days.flatMap((field) => EDGE_DAYS.map((day) => withDay(field, day))),
      ...years.flatMap((field) => BAD_SCHOOL_YEARS.map((year) => withYear(field, year))),
      ...fields.map(withNull),
      ...fields.filter((field) => field.required).map(omitted),
      ...objects.map((field) => withArray(field, [])),
      ...pathProbes(operation, valid),
    ];
    const random: fc.Arbitrary<Probe>[] = [
      fc.constantFrom<Json>(null, [], [valid], 'Tekst', 42, true).map(wholeBody),
      fc.constantFrom(...UNKNOWN_FIELDS).map(unknown),
      ...(operation.params.length ? [fc.constantFrom(...pathProbes(operation, valid))] : []),
    ];
    if (strings.length)
      random.push(
        fc
          .tuple(fc.constantFrom(...strings), fc.constantFrom(...CONTROL), fc.nat())
          .map(([f, control, offset]) => withControl(f, control, offset)),
      );
    if (days.length)
      random.push(fc.tuple(fc.constantFrom(...days), fc.constantFrom(...EDGE_DAYS)).map((a) => withDay(...a)));
    if (years.length)
      random.push(fc.tuple(fc.constantFrom(...years), fc.constantFrom(...BAD_SCHOOL_YEARS)).map((a) => withYear(...a)));
    if (fields.length) {
      const field = fc.constantFrom(...fields);
      const wrongType = (f: Field) =>
        fc
          .constantFrom(...wrongTypes(f.schema))
          .map((value) => probe('wrong type', setAt(valid, f.path, value), at(f)));
      random.push(field.chain(wrongType), field.map(withNull), field.map(omitted));
    }
    if (objects.length) {
      random.push(fc.tuple(fc.constantFrom(...objects), fc.constantFrom<Json>([], ['x'])).map((a) => withArray(...a)));
      const records = objects.filter((f) => f.schema.properties);
      if (records.length)
        random.push(
          fc.tuple(fc.constantFrom(...records), fc.constantFrom(...UNKNOWN_FIELDS)).map(([f, extra]) => {
            const body = setAt(valid, f.path, { ...(getAt(valid, f.path) as object), ...extra });
            return probe('unknown nested field', body, `${at(f)}.${Object.keys(extra)[0]}`);
          }),
        );
    }
    return { every, random: fc.oneof(...random) };
  };

  /** An operation that takes no body refuses any non-empty one, naming `body`. */
  const bodylessChanges = (operation: Operation) => {
    const params = paramsOf(operation);
    const refused = (kind: string) => (body: Json) => ({ kind, body, params, mustRefuse: 'body' });
    const every: Probe[] = [
      refused('body for none')(SMUGGLED),
      refused('whole body')(null),
      ...pathProbes(operation, undefined),
    ];
    const anyObject = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
      minKeys: 1,
      maxKeys: 3,
    }) as fc.Arbitrary<Record<string, Json>>;
    const random = fc.oneof(
      fc.constantFrom(...UNKNOWN_FIELDS).map(refused('body for none')),
      anyObject.map(refused('body for none')),
      fc.constantFrom<Json>(null, [], 'Tekst', 42).map(refused('whole body')),
      ...(operation.params.length ? [fc.constantFrom(...pathProbes(operation, undefined))] : []),
    );
    return { every, random };
  };

  // ---- sending, and what a request wrote ----

  const send = async (operation: Operation, probe: Probe, correlationId: string) => {
    const url = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => probe.params[name] ?? '');
    const body = probe.raw ?? (probe.body === undefined ? undefined : JSON.stringify(probe.body));
    const response = await fetch(`${sut.baseUrl}${url}`, {
      method: operation.method,
      headers: {
        authorization: `Bearer ${token}`,
        'x-correlation-id': correlationId,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: kept as text
    }
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: parsed };
  };

  /** The events (count, last position) and a digest of every personal-data row. */
  const snapshot = async () => {
    const digest = (table: string) =>
      `(SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') FROM ${table} t)`;
    const { rows } = await sut.db.pool.query<{ events: string; last: string | null; personal: string }>(
      `SELECT (SELECT count(*) FROM es_events)::text AS events, (SELECT max(position) FROM es_events)::text AS last,
              concat_ws('|', ${PERSONAL_TABLES.map(digest).join(', ')}) AS personal`,
    );
    return rows[0] as { events: string; last: string | null; personal: string };
  };
  /** Events since `after` written by the request (a process manager's reaction to it carries its correlation id). */
  const eventsOfRequest = async (correlationId: string, after: string | null) => {
    const { rows } = await sut.db.pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM es_events WHERE position > $1 AND metadata->>'correlationId' = $2`,
      [after ?? '-1', correlationId],
    );
    return Number(rows[0]?.n ?? 0);
  };

  it('answers no 5xx, and 4xx only as problem+json that writes nothing and names the field at fault', async () => {
    const failures: string[] = [];
    let requests = 0;
    const started = Date.now();

    const check = (operation: Operation) => async (probe: Probe) => {
      requests += 1;
      const label = `${operation.method} ${operation.path}`;
      const correlationId = randomUUID();
      await sut.runtime.store.awaitSettled();
      const before = await snapshot();
      const response = await send(operation, probe, correlationId);
      const shown =
        `${label} [${probe.kind}] ${JSON.stringify(probe.params)} ${probe.raw ?? JSON.stringify(probe.body)}` +
        ` → ${response.status} ${JSON.stringify(response.body).slice(0, 240)}`;
      if (response.status >= 500) failures.push(`5xx: ${shown}`);
      if (response.status >= 400) {
        if (!response.contentType.startsWith('application/problem+json')) failures.push(`not problem+json: ${shown}`);
        await sut.runtime.store.awaitSettled();
        const after = await snapshot();
        if (after.personal !== before.personal)
          failures.push(`personal data written on a ${response.status}: ${shown}`);
        if (after.events !== before.events && (await eventsOfRequest(correlationId, before.last)) > 0)
          failures.push(`events written on a ${response.status}: ${shown}`);
      }
      if (probe.mustRefuse !== undefined) {
        const field = probe.mustRefuse;
        const named = ((response.body as { errors?: { field: string }[] } | undefined)?.errors ?? []).map(
          (e) => e.field,
        );
        if (response.status !== 400) failures.push(`not refused: ${shown}`);
        else if (!named.some((name) => name === field || field.startsWith(`${name}.`) || name.startsWith(`${field}.`)))
          failures.push(`${field} not named: ${shown}`);
      }
      return true;
    };

    for (const operation of operations) {
      const undocumented = operation.params.filter((name) => !operation.documentedParams.includes(name));
      if (undocumented.length)
        failures.push(`path parameters not in the OpenAPI document: ${operation.path} ${undocumented.join(', ')}`);
      // A field without its true type cannot be probed with wrong types, and its clients cannot know what to send
      // (a TypeScript union type reaches the document as a bare "object").
      const untyped = operation.body
        ? fieldsOf(operation.body).filter(
            ({ schema: s }) =>
              (!s.type && !s.enum) || (s.type === 'object' && !s.properties && !s.additionalProperties),
          )
        : [];
      if (untyped.length)
        failures.push(`fields without their type: ${operation.method} ${operation.path} ${untyped.map(at).join(', ')}`);
      const { every, random } = operation.body ? bodyChanges(operation) : bodylessChanges(operation);
      // fast-check counts the examples in numRuns: the fixed set first, then RUNS random ones.
      await fc.assert(fc.asyncProperty(random, check(operation)), {
        numRuns: every.length + RUNS,
        seed: SEED,
        examples: every.map((probe) => [probe]),
      });
    }

    console.log(
      [
        `Hostile input: ${operations.length} write operations, ${requests} requests, ${failures.length} failures ` +
          `(${((Date.now() - started) / 1000).toFixed(1)} s, seed ${SEED})`,
        ...failures.map((failure) => `  ✗ ${failure}`),
      ].join('\n'),
    );
    expect(operations.length).toBeGreaterThan(25);
    expect(failures).toEqual([]);
  });
});
