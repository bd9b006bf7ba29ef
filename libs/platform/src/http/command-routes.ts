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
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.guard.js';
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
}

/** A write route: its method (and path), its status when not the default, and the roles that may send it. */
export const WriteRoute = (method: 'POST' | 'PUT', { path, status, roles }: WriteRouteOptions) =>
  applyDecorators(
    method === 'POST' ? Post(path) : Put(path),
    ...(status === undefined ? [] : [HttpCode(status)]),
    Roles(...roles),
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
