import { Param, Query } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { CurrentPrincipal, type Principal, shape } from '#libs/platform';
import { OptionalPositiveInt } from '#libs/query';
import { EventHistory } from './event-history.js';
import { HistoryPeople } from './history-people.js';
import { AuditController, AuditRead } from '../shared/audit-http.js';

export class HistoryParams {
  @ApiPropertyOptional({
    description: 'decrypt the personal fields of the people in the history (each read is recorded)',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  withPersonalData?: boolean;

  @OptionalPositiveInt({ default: 10_000 }, 10_000)
  limit?: number;
}

/** "What happened to this child / application / offering / place / household, who did it, when and why." */
@AuditController('history')
export class HistoryController {
  constructor(
    private readonly history: EventHistory,
    private readonly people: HistoryPeople,
  ) {}

  @AuditRead(':id', {
    summary: 'What happened to one child, application, offering, place or household: who, when and why',
    description: 'Every event that mentions the id, oldest first; `withPersonalData` adds the people named (logged).',
    response: shape({ id: 'string', entries: 'object[]', linked: 'object[]', truncated: 'boolean' }),
  })
  async of(@Param('id') id: string, @Query() params: HistoryParams, @CurrentPrincipal() principal: Principal) {
    const history = await this.history.of(principal.tenant, id, { limit: params.limit });
    const people = params.withPersonalData ? await this.people.of(principal, history) : undefined;
    return { ...history, ...(people ? { people } : {}) };
  }
}
