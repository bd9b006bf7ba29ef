import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { CommandContextOf, Roles, type CommandContext } from '#libs/platform';
import { RevokeWaiverCommand } from './revoke-waiver.handler.js';

export class RevokeWaiverRequest {
  @ApiProperty({ example: 'The family moved out of the municipality' })
  @IsString()
  @Length(5, 500)
  reason!: string;
}

@ApiTags('funding')
@ApiBearerAuth()
@Controller('funding/fee-waivers/applications/:applicationId/revoke')
export class RevokeWaiverController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(200)
  @Roles('admin', 'caseworker')
  revoke(
    @Param('applicationId', new ParseUUIDPipe()) applicationId: string,
    @Body() body: RevokeWaiverRequest,
    @CommandContextOf() context: CommandContext,
  ) {
    return this.commands.execute(new RevokeWaiverCommand(applicationId, body.reason, context));
  }
}
