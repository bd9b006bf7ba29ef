import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { MESSAGE_CONTRACTS, type IntegrationType } from './catalogue.js';

// ajv-formats is CommonJS: under NodeNext its default export arrives as the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
  constructor(
    readonly type: string,
    readonly reason: string,
  ) {
    super(`${type} does not match its JSON Schema: ${reason}`);
  }
}

/** Compiles a schema set once; `check` throws ContractViolation with ajv's reasons in one line. */
export class SchemaValidator {
  private readonly ajv = addFormats(new Ajv({ allErrors: true, strict: true }));
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(schemas: Iterable<[string, object]>) {
    for (const [key, schema] of schemas) this.compiled.set(key, this.ajv.compile(schema));
  }

  errors(key: string, body: unknown): string | undefined {
    const validate = this.compiled.get(key);
    if (!validate) return `no schema for ${key}`;
    if (validate(body)) return undefined;
    return this.ajv.errorsText(validate.errors, { dataVar: 'body' });
  }

  check(key: string, body: unknown): void {
    const reason = this.errors(key, body);
    if (reason) throw new ContractViolation(key, reason);
  }
}

export const outboundValidator = (): SchemaValidator =>
  new SchemaValidator(MESSAGE_CONTRACTS.map((c): [IntegrationType, object] => [c.type, c.schema]));
