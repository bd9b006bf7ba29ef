import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Pool } from '#libs/database';
import type { EventStore } from '#libs/event-store';
import { EVENT_STORE, Metrics, PG_POOL } from '#libs/platform';
import { ProjectionAdmin } from './admin/projection-admin.js';
import { ProjectionsAdminController } from './admin/projections-admin.controller.js';
import { ProjectionsController } from './admin/projections.controller.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './runner/projection-runner.js';

export const PROJECTIONS_OPTIONS = Symbol('PROJECTIONS_OPTIONS');

export interface ProjectionsModuleOptions {
  projections: readonly Projection[];
  /** True in the projector (and the all-in-one host): keep the read models up to date here. Query apps say false. */
  run: boolean;
  batchSize?: number;
  idleMs?: number;
  /** How read models are split by tenant and which shards this process runs first (projectionSharding, ADR 0020). */
  sharding?: { shards: number; homeShards?: readonly number[] };
}

@Injectable()
class ProjectionRunnerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(PROJECTIONS_OPTIONS) private readonly options: ProjectionsModuleOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.run) await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}

/** The projection runner, its status endpoints, and where it runs its admin endpoints (retry, skip, as-of builds). */
@Module({})
export class ProjectionsModule {
  static register(options: ProjectionsModuleOptions): DynamicModule {
    const logger = new Logger('projections');
    return {
      module: ProjectionsModule,
      // A query app reads the tables; only where the runner runs may the read models be retried, skipped or rebuilt.
      controllers: options.run ? [ProjectionsController, ProjectionsAdminController] : [ProjectionsController],
      providers: [
        { provide: PROJECTIONS_OPTIONS, useValue: options },
        {
          provide: ProjectionRunner,
          inject: [PG_POOL, EVENT_STORE, Metrics],
          useFactory: (pool: Pool, store: EventStore, metrics: Metrics) =>
            new ProjectionRunner(pool, store, options.projections, {
              batchSize: options.batchSize,
              idleMs: options.idleMs,
              ...options.sharding,
              registry: metrics.registry,
              log: (level, message, detail) => logger[level === 'info' ? 'log' : level]({ ...detail }, message),
            }),
        },
        {
          provide: ProjectionAdmin,
          inject: [PG_POOL, EVENT_STORE],
          useFactory: (pool: Pool, store: EventStore) => new ProjectionAdmin(pool, store, options.projections),
        },
        ProjectionRunnerLifecycle,
      ],
      exports: [ProjectionRunner, ProjectionAdmin],
    };
  }
}
