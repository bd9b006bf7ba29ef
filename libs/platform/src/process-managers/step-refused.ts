import type { DomainError } from '#libs/decider';
import { streamName, type EventStore, type NewEvent } from '#libs/event-store';
import { eventIdFor, metadataFor, type CommandContext } from '../commands/command-context.js';

/**
 * A command a process manager sent and its target refused by a rule (the child already holds the most places, the
 * class is full or closed). Recorded in the manager's own stream so the refusal is a fact someone can act on and the
 * manager's handler decides what follows. Ids and rule names only: no personal values.
 */
export interface ProcessStepRefusedData {
  /** The process manager, e.g. `admission`. */
  manager: string;
  /** The command the step sent, e.g. `EnrolStudent`. */
  step: string;
  /** The event that caused the step; for a deadline, `eventId` is null and `type` names the deadline. */
  trigger: { eventId: string | null; type: string };
  /** The stream the command was decided on, and the id of its aggregate (an offering, a household). */
  target: { stream: string; id: string };
  /** The domain error's class name, its HTTP kind, and the message a case worker reads. */
  refusal: { code: string; kind: DomainError['kind']; message: string };
  refusedAt: string;
}

/** Where a manager records its refusals: one stream per target aggregate, `<tenant>.<context>.process-<id>`. */
export const processStream = (tenant: string, context: string, targetId: string): string =>
  streamName(tenant, context, 'process', targetId);

/**
 * Appends the refusal once: its id derives from the step's command id (itself derived from the triggering event and
 * the step), so a redelivered event appends nothing twice.
 */
export const recordStepRefused = async (
  store: EventStore,
  where: { context: string; type: string },
  context: CommandContext,
  data: ProcessStepRefusedData,
): Promise<void> => {
  const stream = processStream(context.principal.tenant, where.context, data.target.id);
  const event: NewEvent<string, ProcessStepRefusedData> = {
    eventId: eventIdFor(context.commandId, stream, 0),
    type: where.type,
    schemaVersion: 1,
    data,
    metadata: metadataFor(context),
  };
  await store.appendToStream(stream, [event], { expectedRevision: 'any' });
};
