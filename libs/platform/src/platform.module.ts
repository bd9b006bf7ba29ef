import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AccessTrail } from './auth/access-trail.js';
import { AccessRefusalRecorder, AuthGuard } from './auth/auth.guard.js';
import { TokenVerifier } from './auth/token-verifier.js';
import { StreamCommandHandler } from './commands/stream-command-handler.js';
import { Clock } from './clock/clock.js';
import { ClockInterceptor } from './clock/clock.interceptor.js';
import { CheckpointStore } from './subscriptions/checkpoints.js';
import { POLICY_OVERRIDES } from './policies/policy-overrides.js';
import { PolicyBook } from './policies/policy-book.js';
import { TenantRegisters } from './registers/tenant-registers.js';
import { HealthController } from './health/health.controller.js';
import { ObjectBodyOnly } from './http/object-body-only.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor.js';
import { loggerModule } from './observability/logger.js';
import { Metrics, MetricsController } from './observability/metrics.js';
import type { Runtime } from './runtime.js';
import { processManagerSharding } from './config/app-config.js';
import { ProcessManagerSharding } from './process-managers/process-manager.js';
import { APP_CONFIG, EVENT_STORE, PG_POOL } from './tokens.js';

/** Cross-cutting pieces every app shares: auth, problem+json, idempotency, logs, metrics, health. */
@Global()
@Module({})
export class PlatformModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: PlatformModule,
      imports: [TerminusModule, loggerModule(runtime.config.LOG_LEVEL)],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: APP_CONFIG, useValue: runtime.config },
        { provide: PG_POOL, useValue: runtime.pool },
        { provide: EVENT_STORE, useValue: runtime.store },
        { provide: Metrics, useValue: runtime.metrics },
        { provide: TokenVerifier, useValue: runtime.verifier },
        { provide: Clock, useValue: runtime.clock },
        { provide: POLICY_OVERRIDES, useValue: runtime.policies },
        { provide: CheckpointStore, useValue: new CheckpointStore(runtime.pool) },
        { provide: ProcessManagerSharding, useValue: processManagerSharding(runtime.config) },
        AccessTrail,
        { provide: AccessRefusalRecorder, useExisting: AccessTrail },
        StreamCommandHandler,
        PolicyBook,
        TenantRegisters,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: ObjectBodyOnly },
        { provide: APP_INTERCEPTOR, useClass: ClockInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
      exports: [
        APP_CONFIG,
        PG_POOL,
        EVENT_STORE,
        Metrics,
        AccessTrail,
        StreamCommandHandler,
        Clock,
        CheckpointStore,
        ProcessManagerSharding,
        POLICY_OVERRIDES,
        PolicyBook,
        TenantRegisters,
      ],
    };
  }
}
