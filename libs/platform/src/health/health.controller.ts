import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthCheck, HealthCheckService, type HealthIndicatorResult } from '@nestjs/terminus';
import { Kafka, logLevel } from 'kafkajs';
import type { Pool } from '#libs/database';
import { PublicRoute } from '../auth/auth.guard.js';
import { APP_CONFIG, PG_POOL } from '../tokens.js';
import { PublicOperation, shape } from '../http/api-contract.js';

// @nestjs/terminus's answer: its status and each indicator's.
const HEALTH = shape({ status: 'string', info: 'object?', error: 'object?', details: 'object?' });
import type { AppConfig } from '../config/app-config.js';
import { platformMigrations } from '../runtime.js';

/** A part of an app (the relay) that reports its own health; it says degraded, never down, so commands go on. */
export abstract class HealthContributor {
  abstract check(): Promise<HealthIndicatorResult>;
}

/** Database down means down (503); Kafka down means degraded: commands still work and the relay catches up later. */
@Controller('health')
export class HealthController {
  private readonly kafka?: Kafka;

  constructor(
    private readonly health: HealthCheckService,
    private readonly moduleRef: ModuleRef,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Optional() @Inject(APP_CONFIG) config?: AppConfig,
  ) {
    if (config?.KAFKA_BROKERS) {
      this.kafka = new Kafka({
        clientId: 'health',
        brokers: config.KAFKA_BROKERS.split(','),
        logLevel: logLevel.NOTHING,
        connectionTimeout: 1000,
        retry: { retries: 0 },
      });
    }
  }

  @Get()
  @PublicRoute()
  @PublicOperation({ summary: 'Health of the app and what it depends on', response: HEALTH, errors: [503] })
  @HealthCheck()
  check() {
    const contributor = this.contributor();
    return this.health.check([
      () => this.database(),
      () => this.broker(),
      ...(contributor ? [() => contributor.check()] : []),
    ]);
  }

  /** Liveness: the process answers. A database outage must not get it restarted: it reconnects by itself. */
  @Get('live')
  @PublicRoute()
  @PublicOperation({ summary: 'Liveness: the process answers', response: shape({ status: 'string' }) })
  live() {
    return { status: 'up' };
  }

  /**
   * Readiness: the store answers, the platform's migrations are recorded as applied and, where KAFKA_BROKERS is set,
   * the broker answers; 503 otherwise, which takes the instance out of a load balancer until all three hold.
   */
  @Get('ready')
  @PublicRoute()
  @PublicOperation({
    summary: 'Readiness: the store answers, migrations ran and (where configured) the broker answers',
    response: HEALTH,
    errors: [503],
  })
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.database(),
      () => this.migrations(),
      async (): Promise<HealthIndicatorResult> => {
        const { kafka } = await this.broker();
        return { kafka: { ...kafka, status: kafka?.degraded ? 'down' : 'up' } };
      },
    ]);
  }

  private async migrations(): Promise<HealthIndicatorResult> {
    const ids = platformMigrations.map((migration) => migration.id);
    const { rows } = await this.pool
      .query<{ applied: string }>('SELECT count(*) AS applied FROM schema_migrations WHERE id = ANY ($1)', [ids])
      .catch(() => ({ rows: [{ applied: '0' }] }));
    const applied = Number(rows[0]?.applied ?? 0);
    return { migrations: { status: applied === ids.length ? 'up' : 'down', applied, expected: ids.length } };
  }

  private contributor(): HealthContributor | undefined {
    try {
      return this.moduleRef.get(HealthContributor, { strict: false });
    } catch {
      return undefined;
    }
  }

  private async database(): Promise<HealthIndicatorResult> {
    // Answered within two seconds or counted as down: a probe must not hang on an unreachable server.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the database did not answer within 2 s')), 2000);
    });
    try {
      await Promise.race([this.pool.query('SELECT 1'), timeout]);
    } finally {
      clearTimeout(timer);
    }
    return { database: { status: 'up' } };
  }

  private async broker(): Promise<HealthIndicatorResult> {
    if (!this.kafka) return { kafka: { status: 'up', configured: false } };
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return { kafka: { status: 'up', configured: true } };
    } catch (error) {
      return { kafka: { status: 'up', configured: true, degraded: true, reason: (error as Error).message } };
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
