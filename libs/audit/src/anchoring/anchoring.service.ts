import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from '#libs/database';
import { APP_CONFIG, PG_POOL, type AppConfig } from '#libs/platform';
import { AUDIT_STORE } from '../store/audit-store-for.js';
import type { AuditStore } from '../store/audit-store.js';
import { openSealer, type OpenSealer } from './anchoring.js';
import { anchoringSettings } from './anchoring-settings.js';

/**
 * Seals and anchors the store every AUDIT_ANCHOR_INTERVAL_SECONDS in the process that serves the audit API (the
 * host), on either store (the checkpoints are kept in PostgreSQL). A run that fails (the broker away, the file and the
 * database disagreeing) is logged and tried again on the next tick; what was sealed stays sealed and is published once the target is back.
 */
@Injectable()
export class AnchoringService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('anchoring');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private opened: OpenSealer | undefined;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AUDIT_STORE) private readonly source: AuditStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const settings = anchoringSettings(this.config);
    if (settings.intervalSeconds === 0) return;
    try {
      this.opened = await openSealer(this.pool, settings, { source: this.source });
    } catch (error) {
      this.logger.error(`Events are not anchored: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.timer = setInterval(() => this.tick(), settings.intervalSeconds * 1000);
    this.timer.unref();
  }

  /** One seal now (also what the timer runs); a seal already running is not started twice. */
  tick(): Promise<void> {
    this.running ??= this.seal().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.opened?.close();
  }

  private async seal(): Promise<void> {
    if (!this.opened) return;
    try {
      const report = await this.opened.sealer.run();
      for (const [target, outcome] of Object.entries(report.published)) {
        if ('error' in outcome) this.logger.warn(`Anchors not published to ${target} (retried): ${outcome.error}`);
      }
      const last = report.sealed.at(-1);
      if (last) this.logger.debug(`Sealed through position ${last.upto} (checkpoint ${last.seq})`);
    } catch (error) {
      this.logger.error(`Sealing failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
