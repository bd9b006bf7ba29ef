/** A small LRU of unwrapped subject keys with a time limit; evicted keys are zeroed. */
export class SubjectKeyCache {
  private readonly entries = new Map<string, { key: Buffer; expiresAt: number }>();

  constructor(private readonly options: { capacity: number; ttlMs: number; now?: () => number }) {}

  get size(): number {
    return this.entries.size;
  }

  get(id: string): Buffer | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.forget(id);
      return undefined;
    }
    // Re-inserting moves the entry to the end: a Map keeps insertion order, so the first entry is the least recent.
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.key;
  }

  set(id: string, key: Buffer): void {
    const previous = this.entries.get(id);
    if (previous && previous.key !== key) previous.key.fill(0);
    this.entries.delete(id);
    this.entries.set(id, { key, expiresAt: this.now() + this.options.ttlMs });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.options.capacity) break;
      this.forget(oldest);
    }
  }

  forget(id: string): void {
    this.entries.get(id)?.key.fill(0);
    this.entries.delete(id);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
