import type { RecordedEvent } from './envelope.js';

/** Turns an event stored at `fromVersion` into `fromVersion + 1`. */
export type Upcaster = (event: RecordedEvent) => RecordedEvent;

/** Upcasters per event type and schema version; stored events are never rewritten, old versions are lifted on read. */
export class Upcasters {
  private readonly byType = new Map<string, Map<number, Upcaster>>();

  register(type: string, fromVersion: number, upcast: Upcaster): this {
    const versions = this.byType.get(type) ?? new Map<number, Upcaster>();
    if (versions.has(fromVersion)) throw new Error(`An upcaster for ${type} v${fromVersion} is already registered`);
    versions.set(fromVersion, upcast);
    this.byType.set(type, versions);
    return this;
  }

  apply(event: RecordedEvent): RecordedEvent {
    const versions = this.byType.get(event.type);
    if (!versions) return event;
    let current = event;
    for (let step = versions.get(current.schemaVersion); step; step = versions.get(current.schemaVersion)) {
      const next = step(current);
      if (next.schemaVersion <= current.schemaVersion) {
        throw new Error(`Upcaster for ${event.type} v${current.schemaVersion} must raise the schema version`);
      }
      current = next;
    }
    return current;
  }
}
