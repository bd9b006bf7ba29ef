import { Body, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  CommandContextOf,
  ContextController,
  Roles,
  UuidParam,
  WriteRoute,
  type CommandContext,
  shape,
  CommandOperation,
} from '#libs/platform';
import { PersonLookup } from '../look-up-person/look-up-person.js';
import { MergePeopleCommand } from '../merge-people/merge-people.handler.js';
import {
  LookUpPersonRequest,
  MergePeopleRequest,
  RegisterPersonRequest,
  ReplaceNationalIdRequest,
} from '../people/people.requests.js';
import { RegisterPersonCommand } from '../register-person/register-person.handler.js';
import { ReplaceNationalIdCommand } from '../replace-national-id/replace-national-id.handler.js';

/**
 * People by national identity number, for caseworkers: look a child up, register it, replace its D-number by a
 * fødselsnummer, merge two registrations of one child. Numbers come in bodies only; answers carry the person id.
 */
@ContextController('personal data', 'people')
export class PeopleController {
  constructor(
    private readonly commands: CommandBus,
    private readonly lookup: PersonLookup,
  ) {}

  // POST, not GET: the number stays out of URLs and access logs.
  @CommandOperation({
    summary: 'Find a person by national id (POST so the number stays out of URLs)',
    status: 200,
    response: shape({ personId: { type: 'string', format: 'uuid' } }),
    errors: [404],
  })
  @Post('lookup')
  @HttpCode(200)
  @Roles('admin', 'caseworker')
  lookUp(@Body() { nationalId }: LookUpPersonRequest, @CommandContextOf() context: CommandContext) {
    return this.lookup.find(context.principal, nationalId);
  }

  @WriteRoute('POST', {
    roles: ['admin', 'caseworker'],
    doc: {
      summary: 'Register a person by national id',
      description: 'The same number gives the same person: registering twice answers the first id (isNew false).',
      response: shape({ personId: 'uuid', birthDate: 'date', isNew: 'boolean' }),
    },
  })
  register(@Body() { nationalId, name, gender }: RegisterPersonRequest, @CommandContextOf() context: CommandContext) {
    return this.commands.execute(new RegisterPersonCommand({ nationalId, name, gender }, context));
  }

  @WriteRoute('POST', {
    path: ':personId/national-id',
    status: 200,
    roles: ['admin', 'caseworker'],
    doc: {
      summary: "Replace a person's national id (D-number to fødselsnummer, a correction)",
      response: shape({ personId: 'uuid', replaced: 'boolean' }),
      errors: [404],
    },
  })
  replaceNationalId(
    @UuidParam('personId') personId: string,
    @Body() { nationalId, reason }: ReplaceNationalIdRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const command = new ReplaceNationalIdCommand({ personId: personId.toLowerCase(), nationalId, reason }, context);
    return this.commands.execute(command);
  }

  @WriteRoute('POST', {
    path: 'merge',
    status: 200,
    roles: ['admin', 'caseworker'],
    doc: {
      summary: 'Merge two registrations of the same person',
      response: shape({ personId: 'uuid', retired: 'string[]', merged: 'boolean' }),
      errors: [404],
    },
  })
  merge(@Body() { from, into, reason }: MergePeopleRequest, @CommandContextOf() context: CommandContext) {
    return this.commands.execute(new MergePeopleCommand({ from, into, reason }, context));
  }
}
