import {
  applyDecorators,
  BadRequestException,
  Controller,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.guard.js';
import { CommandOperation, withRoles, type OperationDoc } from './api-contract.js';
import type { TokenRole } from '../auth/principal.js';

/** A context's controller: its OpenAPI tag, a bearer token, and its path (`@ApiTags`, `@ApiBearerAuth`, `@Controller`). */
export const ContextController = (tag: string, path: string) =>
  applyDecorators(ApiTags(tag), ApiBearerAuth(), Controller(path));

export interface WriteRouteOptions {
  /** Below the controller's path; none for the controller's own. */
  path?: string;
  /** The answer's status when it is not the method's default (POST 201, PUT 200). */
  status?: number;
  /** Who may send it. */
  roles: TokenRole[];
  /** Its contract: summary, answer, refusals (see CommandOperation). */
  doc?: OperationDoc;
}

/** A write route: its method (and path), its status when not the default, and the roles that may send it. */
export const WriteRoute = (method: 'POST' | 'PUT', { path, status, roles, doc }: WriteRouteOptions) =>
  applyDecorators(
    method === 'POST' ? Post(path) : Put(path),
    ...(doc ? [CommandOperation(withRoles({ status, ...doc }, roles), method)] : []),
    ...(status === undefined ? [] : [HttpCode(status)]),
    Roles(...roles),
    ApiHeader({
      name: 'X-Occurred-At',
      required: false,
      description:
        "Admins importing a school's past only: the instant the fact happened (ISO-8601 with offset, not in the " +
        'future). The event keeps it as occurredAt; the store records when it was imported (ADR 0014).',
    }),
  );

/** A path parameter that must be a UUID (400 naming it otherwise). */
export const UuidParam = (name: string): ParameterDecorator =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new BadRequestException({
          detail: 'The path parameters are not valid',
          errors: [{ field: name, message: `${name} must be a UUID` }],
        }),
    }),
  );
