import { Param, Query } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { CurrentPrincipal, type Principal } from '#libs/platform';
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

  @AuditRead(':id')
  async of(@Param('id') id: string, @Query() params: HistoryParams, @CurrentPrincipal() principal: Principal) {
    const history = await this.history.of(principal.tenant, id, { limit: params.limit });
    const people = params.withPersonalData ? await this.people.of(principal, history) : undefined;
    return { ...history, ...(people ? { people } : {}) };
  }
}
