import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { CurrentPrincipal, Roles, type Principal } from '#libs/platform';
import { WaitlistQueueQuery } from './waitlist-queue.query.js';
import { DISTRICTS } from '#libs/municipality';

export class WaitlistQueueParams {
  @ApiPropertyOptional() @IsOptional() @IsUUID() offeringId?: string;
  @ApiPropertyOptional({ enum: ['music', 'visual-arts', 'theatre', 'dance', 'sami', 'other'] })
  @IsOptional()
  @IsIn(['music', 'visual-arts', 'theatre', 'dance', 'sami', 'other'])
  subjectGroup?: string;
  @ApiPropertyOptional({ enum: DISTRICTS })
  @IsOptional()
  @IsIn(DISTRICTS)
  district?: string;
  @ApiPropertyOptional({ description: 'include children’s names (each read is recorded in the access trail)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  names?: boolean;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit = 50;
}

/** The waitlist for case workers and admins: queue positions with their reasons, outstanding offers, counts. */
@ApiTags('waitlist (read model)')
@ApiBearerAuth()
@Controller('waitlist/queue')
export class WaitlistQueueController {
  constructor(private readonly query: WaitlistQueueQuery) {}

  @Get()
  @Roles('admin', 'caseworker')
  queue(@Query() params: WaitlistQueueParams, @CurrentPrincipal() principal: Principal) {
    const { offset, limit, names, ...filter } = params;
    return this.query.queue(principal, { ...filter, withNames: names === true }, { offset, limit });
  }

  @Get('offers')
  @Roles('admin', 'caseworker')
  offers(@Query() params: WaitlistQueueParams, @CurrentPrincipal() principal: Principal) {
    const { offset, limit, names, ...filter } = params;
    return this.query.offers(principal, { ...filter, withNames: names === true }, { offset, limit });
  }

  @Get('summary')
  @Roles('admin', 'caseworker')
  summary(@CurrentPrincipal() principal: Principal) {
    return this.query.summary(principal);
  }
}
