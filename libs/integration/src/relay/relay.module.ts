import { Module } from '@nestjs/common';
import { HealthContributor } from '#libs/platform';
import { RelayHealthIndicator } from './relay-health.js';
import { RelayStatusController } from './relay-status.controller.js';
import { RelayService } from './relay.service.js';

/** The outbound relay: `$all` → integration events on Kafka. Needs PlatformModule (store, pool, config). */
@Module({
  controllers: [RelayStatusController],
  providers: [RelayService, RelayHealthIndicator, { provide: HealthContributor, useExisting: RelayHealthIndicator }],
  exports: [RelayService, RelayHealthIndicator],
})
export class RelayModule {}
