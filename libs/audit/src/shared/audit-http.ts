import { applyDecorators, Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { QueryOperation, Roles, withRoles, type OperationDoc } from '#libs/platform';

/** A controller of the audit trail at `/audit/<path>`: documented under "audit", every route behind a bearer token. */
export const AuditController = (path: string) =>
  applyDecorators(ApiTags('audit'), ApiBearerAuth(), Controller(`audit/${path}`));

/** A read of the audit trail: `GET`, for auditors and admins, with its contract (see QueryOperation). */
export const AuditRead = (path: string | undefined, doc: OperationDoc) =>
  applyDecorators(Get(path), Roles('auditor', 'admin'), QueryOperation(withRoles(doc, ['auditor', 'admin'])));

/** A parameter that names one stream (`<tenant>.<context>.<aggregate>-<id>`). */
export const IsStreamName = () =>
  Matches(/^[a-z][a-z0-9.-]{1,100}-[A-Za-z0-9_-]{1,100}$/, { message: 'stream must be a stream name' });
