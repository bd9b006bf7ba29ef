import { createRequire } from 'node:module';
import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type Runtime } from '#libs/platform';
import { ProjectionsModule } from '#libs/projections';
import { StatisticsModule, statisticsProjection } from '#libs/statistics';

/** What the query benchmarks read of an autocannon run. */
export interface CannonResult {
  latency: { p50: number; p99: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}

/** autocannon is CommonJS without types of its own. */
export const autocannon = createRequire(import.meta.url)('autocannon') as (
  options: Record<string, unknown>,
) => Promise<CannonResult>;

/** The statistics routes through the real query API (auth, freshness, ETags), over a projection built beforehand. */
@Module({})
export class BenchStatisticsApp {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: BenchStatisticsApp,
      imports: [
        PlatformModule.forRuntime(runtime),
        ProjectionsModule.register({ projections: [statisticsProjection], run: false }),
        StatisticsModule,
      ],
    };
  }
}
