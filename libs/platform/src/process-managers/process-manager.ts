import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DomainError } from '#libs/decider';
import { tenantShardOf, type EventStore, type RecordedEvent } from '#libs/event-store';
import type { Pool } from '#libs/database';
import type { Principal } from '../auth/principal.js';
import type { Clock } from '../clock/clock.js';
import type { Sharding } from '../config/app-config.js';
import { eventIdFor, type CommandContext } from '../commands/command-context.js';
import { inSpanOf } from '../observability/trace-context.js';
import type { CheckpointStore } from '../subscriptions/checkpoints.js';
import { startCheckpointedSubscription, type LeasedSubscription } from '../subscriptions/checkpointed-subscription.js';
import { recordStepRefused, type ProcessStepRefusedData } from './step-refused.js';

export interface ProcessManagerSettings {
  /** The checkpoint's and the lease's name, and the `manager` of its refusals, e.g. `admission`. */
  name: string;
  /** The context of the manager's own streams (`<tenant>.<context>.process-<id>`). */
  context: string;
  /** The event type a refused step is recorded as, e.g. `AdmissionStepRefused`; the manager handles it too. */
  refusedType: string;
  /** The event types `handle` is given. */
  eventTypes: readonly string[];
  /** How often `tick` runs, for managers with deadlines; one run at a time. */
  tickEveryMs?: number;
  leaseRetryMs?: number;
  /** Split: how long a process keeps a shard that is not its home before it gives it back (default 30 s). */
  foreignHoldMs?: number;
}

export interface ProcessManagerDeps {
  store: EventStore;
  pool: Pool;
  checkpoints: CheckpointStore;
  clock: Clock;
  /** Split by tenant (ADR 0022): one subscription, lease and checkpoint per shard. Unsplit when left out. */
  sharding?: Sharding;
}

/** The process managers' split, from PROCESS_MANAGER_SHARDS and _HOME_SHARDS (processManagerSharding). */
export abstract class ProcessManagerSharding implements Sharding {
  abstract readonly shards: number;
  abstract readonly homeShards?: number[];
}

/** Why a step runs: the event it answers, or a deadline that has passed. */
export interface StepCause {
  tenant: string;
  /** What the step's command ids derive from: the triggering event's id, or what the deadline is for. */
  key: string;
  trigger: ProcessStepRefusedData['trigger'];
  correlationId: string;
  /** An imported fact's own time: its follow-ups are history too, decided as of then (ADR 0014). */
  importedAt?: string;
}

type RefusalClass = abstract new (...args: never[]) => DomainError;

export interface StepRequest<T> {
  /** The command sent, as its target names it, e.g. `EnrolStudent`. */
  command: string;
  /** The stream the command is decided on and its aggregate's id: a refusal names them, a replay is told by them. */
  target: ProcessStepRefusedData['target'];
  /** Refusals that mean what the step wants already holds (overtaken by an answer, nobody waiting): not recorded. */
  settledBy?: readonly RefusalClass[];
  send(): Promise<T>;
}

/**
 * A process manager (ADR 0006, 0011): a checkpointed subscription run by one process at a time (the lease), an
 * optional deadline ticker, and steps sent as the system actor. A step its target refuses by a rule is recorded as the
 * manager's `refusedType` event, and the manager's `onStepRefused` decides what follows when that event comes back.
 */
export abstract class ProcessManager implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger: Logger;
  private readonly principals = new WeakMap<StepCause, Principal>();
  /** One per shard (one in all when unsplit), by shard index. */
  private subscriptions: LeasedSubscription[] = [];
  private ticker?: NodeJS.Timeout;
  private ticking = Promise.resolve();

  protected constructor(
    protected readonly deps: ProcessManagerDeps,
    private readonly settings: ProcessManagerSettings,
  ) {
    this.logger = new Logger(settings.name);
  }

  /** Handles one event of `eventTypes`; at least once, so idempotent. */
  protected abstract handle(event: RecordedEvent): Promise<void>;

  /** What follows a refusal this manager recorded; at least once, like `handle`. */
  protected abstract onStepRefused(refusal: ProcessStepRefusedData, event: RecordedEvent): Promise<void>;

  /** Deadlines: called every `tickEveryMs`. */
  protected tick?(): Promise<void>;

  /** The event types this process reads: its checkpoint stays on the last of them, not on the store's head. */
  get readsEventTypes(): readonly string[] {
    return [...this.settings.eventTypes, this.settings.refusedType];
  }

  async onApplicationBootstrap(): Promise<void> {
    const { store, checkpoints, pool } = this.deps;
    const { name, tickEveryMs, leaseRetryMs, foreignHoldMs } = this.settings;
    const count = this.shardCount;
    // One process runs each shard however many run the app (the lease); the others stand by.
    for (let index = 0; index < count; index++) {
      const shardName = count === 1 ? name : `${name}:shard:${index}/${count}`;
      // A new split starts where every earlier one had got to: nothing is missed, some events may come twice.
      await checkpoints.seed(shardName, name);
      const filter = {
        eventTypes: this.readsEventTypes,
        ...(count === 1 ? {} : { tenantShard: { index, count } }),
      };
      const home = this.deps.sharding?.homeShards?.includes(index) ?? true;
      const subscription = await startCheckpointedSubscription(
        store,
        checkpoints,
        { name: shardName, filter, handle: (event) => this.deliver(event) },
        { pool, leaseRetryMs, ...(count === 1 ? {} : { turns: { home, foreignHoldMs } }) },
      );
      this.subscriptions.push(subscription);
    }
    const tick = this.tick?.bind(this);
    if (tick && tickEveryMs) {
      this.ticker = setInterval(() => {
        this.ticking = this.ticking.then(tick).catch((e: unknown) => this.logger.warn(e));
      }, tickEveryMs);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.ticker);
    this.ticker = undefined;
    await this.ticking;
    const stopping = this.subscriptions;
    this.subscriptions = [];
    await Promise.all(stopping.map((subscription) => subscription.stop()));
  }

  private get shardCount(): number {
    return this.deps.sharding?.shards ?? 1;
  }

  /**
   * Whether this process runs the tenant's deadlines now. Unsplit, every process ticks (its steps' ids repeat, so a
   * second sender appends nothing); split, only the process holding the tenant's shard does.
   */
  protected owns(tenant: string): boolean {
    const count = this.shardCount;
    if (count === 1) return true;
    return this.subscriptions[tenantShardOf(tenant, count)]?.holding ?? false;
  }

  protected causeOf(event: RecordedEvent): StepCause {
    return {
      tenant: event.metadata.tenant,
      key: event.eventId,
      trigger: { eventId: event.eventId, type: event.type },
      correlationId: event.metadata.correlationId,
      ...(event.metadata.imported ? { importedAt: event.metadata.occurredAt } : {}),
    };
  }

  /** A deadline as a cause: `deadline` names it (e.g. `OfferDeadlinePassed`), `key` is what it is for. */
  protected deadlineCause(tenant: string, deadline: string, key: string): StepCause {
    return { tenant, key, trigger: { eventId: null, type: deadline }, correlationId: key };
  }

  /**
   * The system actor's context for step `name` (and `index`) of a cause; its ids repeat when the cause does. The steps
   * of one cause share one principal, so they read the tenant's rules and registers once (they are read per principal).
   */
  protected contextFor(cause: StepCause, name: string, index = 0): CommandContext {
    let principal = this.principals.get(cause);
    if (!principal) {
      principal = { subject: `${this.settings.name}-process`, tenant: cause.tenant, role: 'system' };
      this.principals.set(cause, principal);
    }
    return {
      principal,
      commandId: eventIdFor(cause.key, name, index),
      correlationId: cause.correlationId,
      ...(cause.importedAt ? { now: new Date(cause.importedAt), imported: true } : { now: this.deps.clock.now() }),
    };
  }

  /**
   * Sends a step's command. A DomainError ends the step: returns undefined, and records the refusal unless the step
   * names it as settled or the command already took effect (a redelivered event re-decided on a later state).
   */
  protected async runStep<T>(cause: StepCause, context: CommandContext, step: StepRequest<T>): Promise<T | undefined> {
    try {
      return await step.send();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (step.settledBy?.some((settled) => error instanceof settled)) return undefined;
      if (await this.tookEffect(step.target.stream, context.commandId)) return undefined;
      await recordStepRefused(
        this.deps.store,
        { context: this.settings.context, type: this.settings.refusedType },
        context,
        {
          manager: this.settings.name,
          step: step.command,
          trigger: cause.trigger,
          target: step.target,
          refusal: { code: error.name, kind: error.kind, message: error.message },
          refusedAt: context.now.toISOString(),
        },
      );
      return undefined;
    }
  }

  // In the event's trace, so the follow-up commands' events carry it on.
  private deliver(event: RecordedEvent): Promise<void> {
    const attributes = { 'kulturskole.process_manager': this.settings.name, 'kulturskole.event_type': event.type };
    return inSpanOf(event.metadata, `process ${this.settings.name} ${event.type}`, attributes, async () => {
      if (event.type !== this.settings.refusedType) return this.handle(event);
      const refusal = event.data as ProcessStepRefusedData;
      if (refusal.manager === this.settings.name) await this.onStepRefused(refusal, event);
    });
  }

  // Events a command appends carry its id as their causation id (metadataFor).
  private async tookEffect(target: string, commandId: string): Promise<boolean> {
    const events = await this.deps.store.readStream(target);
    return events.some((e) => e.metadata.causationId === commandId);
  }
}
