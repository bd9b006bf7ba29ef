import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { streamName, type EventStore } from '#libs/event-store';
import {
  CommandContextOf,
  CurrentPrincipal,
  EVENT_STORE,
  eventIdFor,
  metadataFor,
  Roles,
  type CommandContext,
  type Principal,
  CommandOperation,
  QueryOperation,
  shape,
} from '#libs/platform';
import { PeopleRegister } from '../people-register.js';
import { PersonalDataVault } from '../personal-data-vault.js';

/**
 * Master key rotation, per tenant (docs/runbook.md, Personal data): with the new key current and the old one in
 * PERSONAL_DATA_PREVIOUS_MASTER_KEYS, a rotation re-wraps the tenant's subject keys and re-hashes its identity links;
 * once every tenant reports nothing left, the old key can go. Ids only, never a key, in the answer and the event.
 */
@ApiTags('personal data')
@ApiBearerAuth()
@Controller('people/master-key')
export class MasterKeyController {
  constructor(
    private readonly vault: PersonalDataVault,
    private readonly people: PeopleRegister,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @QueryOperation({
    summary: 'The master key in use and how many subject keys are sealed under older ones',
    response: shape({}, { additionalProperties: true }),
  })
  @Get()
  @Roles('admin', 'auditor')
  async status(@CurrentPrincipal() principal: Principal) {
    return {
      masterKeyId: this.vault.currentMasterKeyId,
      subjectKeysOnOtherMasterKeys: await this.vault.keysOnOtherMasterKeys(principal.tenant),
    };
  }

  @CommandOperation({
    summary: 'Re-seal every subject key under the current master key',
    status: 200,
    response: shape({ masterKeyId: 'string', subjectKeysRewrapped: 'integer', subjectKeysUnreadable: 'integer' }),
  })
  @Post('rotation')
  @HttpCode(200)
  @Roles('admin')
  async rotate(@CommandContextOf() context: CommandContext) {
    const tenant = context.principal.tenant;
    const keys = await this.vault.rewrapSubjectKeys(tenant);
    const identities = await this.people.rehashIdentities(tenant);
    const report = {
      masterKeyId: this.vault.currentMasterKeyId,
      subjectKeysRewrapped: keys.rewrapped,
      subjectKeysUnreadable: keys.unreadable.length,
      identitiesRehashed: identities.rehashed,
      identitiesWithoutNationalId: identities.withoutNationalId,
      subjectKeysOnOtherMasterKeys: await this.vault.keysOnOtherMasterKeys(tenant),
    };
    await this.store.appendToStream(
      streamName(tenant, 'people', 'master-key', report.masterKeyId),
      [
        {
          eventId: eventIdFor(context.commandId, 'rotated', 0),
          type: 'MasterKeyRotated',
          schemaVersion: 1,
          data: report,
          metadata: metadataFor(context),
        },
      ],
      { expectedRevision: 'any' },
    );
    return { ...report, unreadableSubjects: keys.unreadable };
  }
}
