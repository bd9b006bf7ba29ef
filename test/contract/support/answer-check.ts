import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema, OpenApiDocument, Operation } from './open-api.js';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv,
) => Ajv;

/** OpenAPI 3.0's `nullable: true` as JSON Schema's `type: [..., 'null']`, everywhere in a schema. */
const withNull = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(withNull);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = withNull(value);
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (!out.type) return { anyOf: [out, { type: 'null' }] };
  }
  return out;
};

/** Checks an answer against its operation in the document: a documented status, and a body its schema allows. */
export class AnswerCheck {
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: false, validateFormats: true }));
  private readonly compiled = new Map<JsonSchema, ValidateFunction>();

  constructor(document: OpenApiDocument) {
    this.ajv.addSchema({ $id: 'doc', components: withNull(document.components) });
  }

  /** What is wrong with the answer, or undefined when the document describes it. */
  problemWith(
    operation: Operation,
    answer: { status: number; contentType: string; body: unknown },
  ): string | undefined {
    if (answer.status >= 500) return `a ${answer.status}: ${JSON.stringify(answer.body)}`;
    const documented =
      operation.responses[String(answer.status)] ??
      operation.responses[`${String(answer.status)[0]}XX`] ??
      operation.responses.default;
    if (!documented) return `status ${answer.status} is not documented: ${JSON.stringify(answer.body)}`;
    if (answer.status === 204 || answer.status === 304) return undefined;
    const mediaType = answer.contentType.split(';')[0]?.trim() ?? '';
    const content = documented.content;
    if (!content) return answer.body === undefined ? undefined : `status ${answer.status} has no documented body`;
    const declared = content[mediaType];
    if (!declared) return `content type ${mediaType} is not documented for ${answer.status}`;
    if (!mediaType.endsWith('json') || !declared.schema) return undefined;
    const validate = this.validator(declared.schema);
    if (validate(answer.body)) return undefined;
    return `body breaks the ${answer.status} schema: ${this.ajv.errorsText(validate.errors)}; ${JSON.stringify(
      answer.body,
    ).slice(0, 300)}`;
  }

  private validator(schema: JsonSchema): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      const rooted = JSON.parse(JSON.stringify(withNull(schema)).replaceAll('"#/components/', '"doc#/components/'));
      validate = this.ajv.compile(rooted as object);
      this.compiled.set(schema, validate);
    }
    return validate;
  }
}
