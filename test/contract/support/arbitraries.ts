import fc from 'fast-check';
import type { JsonSchema } from './open-api.js';

/**
 * fast-check arbitraries from the OpenAPI document's JSON Schemas: values the schema allows, and values it refuses.
 * Small on purpose: it knows the keywords @nestjs/swagger writes (type, format, enum, pattern, bounds, items,
 * properties, required, $ref, allOf, nullable). The one npm package that does this (json-schema-fast-check 0.0.6) is
 * unmaintained and pins an old fast-check, so it is not used.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export class SchemaArbitraries {
  constructor(
    private readonly schemas: Record<string, JsonSchema>,
    /** Known good values by property name (ids of seeded data, a valid fødselsnummer), taken often. */
    private readonly known: (name: string) => Json | undefined = () => undefined,
  ) {}

  resolve(schema: JsonSchema | undefined): JsonSchema {
    if (!schema) return {};
    if (schema.$ref) return this.resolve(this.schemas[schema.$ref.split('/').pop() ?? '']);
    if (schema.allOf?.length) {
      const merged = schema.allOf.map((part) => this.resolve(part));
      const { allOf: _allOf, ...own } = schema;
      return merged.reduce<JsonSchema>(
        (all, part) => ({
          ...all,
          ...part,
          properties: { ...all.properties, ...part.properties },
          required: [...(all.required ?? []), ...(part.required ?? [])],
        }),
        own,
      );
    }
    return schema;
  }

  /** Values the schema allows; `name` is the property's, so known values (ids, national ids) are tried too. */
  valid(schema: JsonSchema | undefined, name = ''): fc.Arbitrary<Json> {
    const s = this.resolve(schema);
    const own = this.validOwn(s, name);
    const hints: fc.Arbitrary<Json>[] = [];
    const known = this.known(name);
    if (known !== undefined) hints.push(fc.constant(known));
    if (s.example !== undefined && typeof s.example !== 'object') hints.push(fc.constant(s.example as Json));
    if (s.default !== undefined && typeof s.default !== 'object') hints.push(fc.constant(s.default as Json));
    const value =
      hints.length === 0 ? own : fc.oneof({ weight: 3, arbitrary: fc.oneof(...hints) }, { weight: 1, arbitrary: own });
    return s.nullable ? fc.oneof(value, fc.constant(null)) : value;
  }

  private validOwn(s: JsonSchema, name: string): fc.Arbitrary<Json> {
    if (s.enum?.length) return fc.constantFrom(...(s.enum as Json[]));
    const type = Array.isArray(s.type) ? s.type[0] : (s.type ?? (s.properties ? 'object' : s.items ? 'array' : ''));
    switch (type) {
      case 'string':
        return this.string(s);
      case 'integer':
        return fc.integer({ min: bound(s.minimum, -1000), max: bound(s.maximum, 100_000) });
      case 'number':
        return fc.double({
          min: bound(s.minimum, -1000),
          max: bound(s.maximum, 100_000),
          noNaN: true,
          noDefaultInfinity: true,
        });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(this.valid(s.items, name), {
          minLength: s.minItems ?? 0,
          maxLength: Math.min(s.maxItems ?? 3, Math.max(3, s.minItems ?? 0)),
        });
      case 'object': {
        const properties = Object.fromEntries(
          Object.entries(s.properties ?? {}).map(([key, value]) => [key, this.valid(value, key)]),
        );
        if (Object.keys(properties).length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), fc.integer());
        return fc.record(properties, { requiredKeys: s.required ?? [] }) as fc.Arbitrary<Json>;
      }
      default:
        return fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>;
    }
  }

  private string(s: JsonSchema): fc.Arbitrary<Json> {
    const minLength = s.minLength ?? 0;
    const maxLength = s.maxLength ?? Math.max(minLength, 40);
    switch (s.format) {
      case 'uuid':
        return fc.uuid();
      case 'email':
        return fc.emailAddress();
      case 'date':
        return fc.date({ min: new Date('2000-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }).map(day);
      case 'date-time':
        return fc
          .date({ min: new Date('2000-01-01'), max: new Date('2035-12-31'), noInvalidDate: true })
          .map((d) => d.toISOString());
    }
    if (s.pattern) {
      return fc
        .stringMatching(new RegExp(s.pattern))
        .filter((value) => value.length >= minLength && value.length <= maxLength);
    }
    return fc.string({ minLength, maxLength, unit: 'grapheme' });
  }

  /**
   * Values the schema refuses: the wrong JSON type, a value outside its enum, bounds or pattern, a required property
   * left out, or one property made wrong in one of those ways. Never equal to a value `valid` could give.
   */
  invalid(schema: JsonSchema | undefined, name = ''): fc.Arbitrary<Json> {
    const s = this.resolve(schema);
    const type = Array.isArray(s.type) ? s.type[0] : (s.type ?? (s.properties ? 'object' : s.items ? 'array' : ''));
    const choices: fc.Arbitrary<Json>[] = [wrongType(type)];
    if (s.enum?.length && type === 'string') choices.push(fc.constant('not-one-of-them'));
    if (type === 'string' && s.maxLength !== undefined) choices.push(fc.constant('x'.repeat(s.maxLength + 1)));
    if (type === 'string' && s.format === 'uuid') choices.push(fc.constant('not-a-uuid'));
    if ((type === 'integer' || type === 'number') && s.minimum !== undefined) choices.push(fc.constant(s.minimum - 1));
    if ((type === 'integer' || type === 'number') && s.maximum !== undefined) choices.push(fc.constant(s.maximum + 1));
    if (type === 'integer') choices.push(fc.constant(1.5));
    if (type === 'object' && s.properties) {
      const valid = this.valid(s, name) as fc.Arbitrary<Record<string, Json>>;
      for (const key of s.required ?? []) {
        choices.push(valid.map(({ [key]: _left, ...rest }) => rest));
        const property = s.properties[key];
        if (property) {
          choices.push(fc.tuple(valid, this.invalid(property, key)).map(([body, bad]) => ({ ...body, [key]: bad })));
        }
      }
    }
    return fc.oneof(...choices);
  }
}

const bound = (value: number | undefined, fallback: number) => (value === undefined ? fallback : value);
const day = (date: Date) => date.toISOString().slice(0, 10);

const wrongType = (type: string | undefined): fc.Arbitrary<Json> => {
  const all: Record<string, Json> = { string: 'Tekst', number: 12.5, integer: 12, boolean: true, object: { a: 1 } };
  const wrong = Object.entries(all)
    .filter(([kind]) => kind !== type && !(type === 'number' && kind === 'integer'))
    .map(([, value]) => value);
  if (type !== 'array') wrong.push([1, 2]);
  wrong.push(null);
  return fc.constantFrom(...wrong);
};
