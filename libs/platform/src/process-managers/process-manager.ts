import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DomainError } from '#libs/decider';
import type { EventStore, RecordedEvent, Subscription } from '#libs/event-store';
import type { Pool } from '#libs/database';
import type { Clock } from '../clock/clock.js';
import { eventIdFor, type CommandContext } from '../commands/command-context.js';
import { inSpanOf } from '../observability/trace-context.js';
import type { CheckpointStore } from '../subscriptions/checkpoints.js';
import { startCheckpointedSubscription } from '../subscriptions/checkpointed-subscription.js';
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
}

export interface ProcessManagerDeps {
  store: EventStore;
  pool: Pool;
  checkpoints: CheckpointStore;
  clock: Clock;
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
  private subscription?: Subscription;
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
    const { name, tickEveryMs, leaseRetryMs } = this.settings;
    // One process runs it however many run the app (the lease); the others stand by.
    this.subscription = await startCheckpointedSubscription(
      store,
      checkpoints,
      { name, filter: { eventTypes: this.readsEventTypes }, handle: (event) => this.deliver(event) },
      { pool, leaseRetryMs },
    );
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
    await this.subscription?.stop();
    this.subscription = undefined;
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

  /** The system actor's context for step `name` (and `index`) of a cause; its ids repeat when the cause does. */
  protected contextFor(cause: StepCause, name: string, index = 0): CommandContext {
    return {
      principal: { subject: `${this.settings.name}-process`, tenant: cause.tenant, role: 'system' },
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
