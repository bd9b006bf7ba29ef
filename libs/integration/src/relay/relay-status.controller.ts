import { BadRequestException, Body, Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import {
  CallerIsOperator,
  CurrentPrincipal,
  NoControlCharacters,
  Roles,
  type Principal,
  CommandOperation,
  QueryOperation,
  shape,
} from '#libs/platform';
import { RelayHealthIndicator } from './relay-health.js';
import { RelayService } from './relay.service.js';

export class SkipParkedEventRequest {
  @ApiProperty({
    example: 'Assessment with 40,000 lines from the 2025 import; billing re-imports it from the CSV export',
    description: 'Why the event may stay off Kafka; kept with who skipped it',
  })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  @NoControlCharacters()
  reason!: string;
}

const POSITION = /^\d{1,19}$/;

/**
 * The relay's state and lag for operators and monitoring, and the events it parked because the broker will not take
 * them: an admin skips one (recorded with who and why) when raising the broker's limit is not the answer. An
 * operator sees and decides for every tenant; a municipality's roles only for their own tenant's events.
 */
@ApiTags('relay')
@ApiBearerAuth()
@Controller('relay')
export class RelayStatusController {
  constructor(
    private readonly health: RelayHealthIndicator,
    private readonly relay: RelayService,
  ) {}

  @QueryOperation({
    summary: "The Kafka relay's status: acknowledged position, lag, parked events",
    response: shape({}, { additionalProperties: true }),
  })
  @Get('status')
  @Roles('admin', 'integration')
  status(@CurrentPrincipal() principal: Principal, @CallerIsOperator() operator: boolean) {
    return this.health.statusFor({ tenant: principal.tenant, operator });
  }

  @QueryOperation({
    summary: 'Events the relay parked (too large, or refused by their contract)',
    response: shape({ parked: 'object[]' }),
  })
  @Get('parked')
  @Roles('admin', 'integration')
  async parked(@CurrentPrincipal() principal: Principal, @CallerIsOperator() operator: boolean) {
    return { parked: await this.relay.parked({ tenant: principal.tenant, operator }) };
  }

  /** Goes on without a parked too-large event: it is never published; the events held behind it follow. */
  @CommandOperation({
    summary: 'Skip a parked event for good, with a reason',
    status: 200,
    response: shape({ skipped: 'object' }),
    errors: [404],
  })
  @Post('parked/:position/skip')
  @HttpCode(200)
  @Roles('admin')
  async skip(
    @Param('position') position: string,
    @Body() body: SkipParkedEventRequest,
    @CurrentPrincipal() principal: Principal,
    @CallerIsOperator() operator: boolean,
  ) {
    if (!POSITION.test(position) || BigInt(position) > 9_223_372_036_854_775_807n) {
      throw new BadRequestException({
        detail: 'The position must be a $all position, as GET /relay/status shows it',
        errors: [{ field: 'position', message: 'position must be a whole number of at most 19 digits' }],
      });
    }
    const skipped = await this.relay.skip(
      BigInt(position),
      { tenant: principal.tenant, operator },
      { tenant: principal.tenant, subject: principal.subject, reason: body.reason },
    );
    if (!skipped) {
      throw new NotFoundException(`No event too large for the broker is parked at position ${position}`);
    }
    return { skipped };
  }
}
