/**
 * Answers of aggregate read-model routes kept in memory by their ETag, which holds the read model's position and the
 * whole question (tenant, role, route, query, format): a hit is the very answer the handler would give again, until
 * the projection moves. Bounded, oldest first out. Never for a route whose reads go into the access trail: a cached
 * answer would skip the record.
 */
export class AnswerCache {
  private readonly answers = new Map<string, unknown>();

  constructor(private readonly capacity = 2000) {}

  get(etag: string): unknown {
    return this.answers.get(etag);
  }

  set(etag: string, answer: unknown): void {
    if (this.answers.size >= this.capacity) {
      const oldest = this.answers.keys().next();
      if (!oldest.done) this.answers.delete(oldest.value);
    }
    this.answers.set(etag, answer);
  }

  get size(): number {
    return this.answers.size;
  }
}
