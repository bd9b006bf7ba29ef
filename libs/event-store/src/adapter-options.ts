import type { Upcasters } from './upcasters.js';

/** What every adapter takes beside its connection. */
export interface EventStoreAdapterOptions {
  upcasters?: Upcasters;
  /** Called after an append with its duration, for metrics (PostgreSQL: every append; EventStoreDB: those that wrote). */
  onAppend?: (streamName: string, eventCount: number, seconds: number) => void;
}
