import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { streamName, type EventStore } from '#libs/event-store';
import {
  CommandContextOf,
  EVENT_STORE,
  eventIdFor,
  metadataFor,
  NoControlCharacters,
  Roles,
  UuidParam,
  type CommandContext,
  CommandOperation,
  shape,
} from '#libs/platform';
import { PeopleRegister } from '../people-register.js';

export class EraseSubjectRequest {
  @ApiProperty({ example: 'The family asked for erasure; retention period ended' })
  @IsString()
  @Length(5, 500)
  @NoControlCharacters()
  reason!: string;
}

/**
 * Erasure (admin only, with a reason) is itself an event, `PersonalDataErased`, so the history shows when and why;
 * the event carries the pseudonymous id only. Then the key is shredded: every stream still replays, and the subject's
 * personal fields read as erased everywhere.
 */
@ApiTags('personal data')
@ApiBearerAuth()
@Controller('people/:subjectId/erase')
export class EraseSubjectController {
  constructor(
    private readonly people: PeopleRegister,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @CommandOperation({
    summary: "Erase a person's personal data (GDPR article 17)",
    description:
      'The key is destroyed, so every sealed value of the person becomes unreadable; events keep no plaintext.',
    status: 200,
    response: shape({ subjectId: 'uuid', erasedAt: 'date-time', alreadyErased: 'boolean' }),
    errors: [404],
  })
  @Post()
  @HttpCode(200)
  @Roles('admin')
  async erase(
    @UuidParam('subjectId') subjectId: string,
    @Body() body: EraseSubjectRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    const tenant = context.principal.tenant;
    const erasure = await this.people.erase(tenant, subjectId, body.reason);
    const stream = streamName(tenant, 'people', 'subject', subjectId);
    await this.store.appendToStream(
      stream,
      [
        {
          eventId: eventIdFor(subjectId, 'erased', 0),
          type: 'PersonalDataErased',
          schemaVersion: 1,
          data: { subjectId, erasedAt: erasure.erasedAt.toISOString() },
          metadata: metadataFor({ ...context, reason: body.reason }),
        },
      ],
      { expectedRevision: 'any' },
    );
    return { subjectId, erasedAt: erasure.erasedAt.toISOString(), alreadyErased: erasure.alreadyErased };
  }
}
