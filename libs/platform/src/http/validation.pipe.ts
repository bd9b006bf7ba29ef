import { BadRequestException, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { hasNoControlCharacters } from './validators.js';

const flatten = (errors: ValidationError[], prefix = ''): { field: string; message: string }[] =>
  errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });

/** The path or query parameters in `value` that carry a control character: a NUL in `/projections/a%00b` is a 400. */
const parametersWithControlCharacters = (value: unknown, { type, data }: ArgumentMetadata): string[] => {
  if (type !== 'param' && type !== 'query') return [];
  const given: [string, unknown][] = data !== undefined ? [[data, value]] : Object.entries(value ?? {});
  return given
    .filter(([, text]) => [text].flat().some((part) => typeof part === 'string' && !hasNoControlCharacters(part)))
    .map(([name]) => name);
};

/**
 * DTOs are the edge: unknown fields are refused (not stripped), so a smuggled `status` or `role` is a 400. Path and
 * query parameters, typed or not, never carry control characters.
 */
class EdgeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const faulty = parametersWithControlCharacters(value, metadata);
    if (faulty.length) {
      throw new BadRequestException({
        detail: `The ${metadata.type === 'param' ? 'path' : 'query'} parameters are not valid`,
        errors: faulty.map((field) => ({ field, message: `${field} must not contain control characters` })),
      });
    }
    return super.transform(value, metadata);
  }
}

export const validationPipe = () =>
  new EdgeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) =>
      new BadRequestException({ detail: 'The request body is not valid', errors: flatten(errors) }),
  });
