import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { CurrentPrincipal, Roles, TenantRegisters, type Principal, QueryOperation, shape } from '#libs/platform';
import { WaitlistQueueQuery } from './waitlist-queue.query.js';

export class WaitlistQueueParams {
  @ApiPropertyOptional() @IsOptional() @IsUUID() offeringId?: string;
  @ApiPropertyOptional({ enum: ['music', 'visual-arts', 'theatre', 'dance', 'sami', 'other'] })
  @IsOptional()
  @IsIn(['music', 'visual-arts', 'theatre', 'dance', 'sami', 'other'])
  subjectGroup?: string;
  // A district of the caller's tenant's register: checked by the controller.
  @ApiPropertyOptional({ example: 'Heimdal' }) @IsOptional() @IsString() @Length(1, 80) district?: string;
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
  constructor(
    private readonly query: WaitlistQueueQuery,
    private readonly registers: TenantRegisters,
  ) {}

  @QueryOperation({
    summary: 'The waitlist: children in queue order with the reasons for their position',
    response: shape({ items: 'object[]' }),
  })
  @Get()
  @Roles('admin', 'caseworker')
  async queue(@Query() params: WaitlistQueueParams, @CurrentPrincipal() principal: Principal) {
    const { offset, limit, names, ...filter } = params;
    if (filter.district) await this.registers.assertKnown(principal, 'districts', filter.district, 'district');
    return this.query.queue(principal, { ...filter, withNames: names === true }, { offset, limit });
  }

  @QueryOperation({
    summary: 'Outstanding offers of a seat and their answer deadlines',
    response: shape({ items: 'object[]' }),
  })
  @Get('offers')
  @Roles('admin', 'caseworker')
  async offers(@Query() params: WaitlistQueueParams, @CurrentPrincipal() principal: Principal) {
    const { offset, limit, names, ...filter } = params;
    if (filter.district) await this.registers.assertKnown(principal, 'districts', filter.district, 'district');
    return this.query.offers(principal, { ...filter, withNames: names === true }, { offset, limit });
  }

  @QueryOperation({
    summary: 'How many wait, per subject group and per district',
    response: shape({ byDistrict: 'object' }),
  })
  @Get('summary')
  @Roles('admin', 'caseworker')
  async summary(@CurrentPrincipal() principal: Principal) {
    const summary = await this.query.summary(principal);
    // Every district of the tenant's register is listed, with 0 where nobody waits.
    const { districts } = await this.registers.forCaller(principal);
    const none = Object.fromEntries(Object.keys(districts).map((district) => [district, 0]));
    return { ...summary, byDistrict: { ...none, ...summary.byDistrict } };
  }
}
