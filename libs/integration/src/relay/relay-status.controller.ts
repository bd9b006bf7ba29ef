import { Controller, Get } from '@nestjs/common';
import { Roles } from '#libs/platform';
import { RelayHealthIndicator } from './relay-health.js';

/** The relay's state and lag for operators and monitoring, until `/health` includes it. */
@Controller('relay')
export class RelayStatusController {
  constructor(private readonly health: RelayHealthIndicator) {}

  @Get('status')
  @Roles('admin', 'integration')
  async status() {
    return (await this.health.check()).relay;
  }
}
