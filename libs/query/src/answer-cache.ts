/**
 * Answers of aggregate read-model routes kept in memory by their ETag, which holds the read model's position and the
 * whole question (tenant, role, route, query, format): a hit is the very answer the handler would give again, until
 * the projection moves. Bounded, oldest first out. Never for a route whose reads go into the access trail: a cached
 * answer would skip the record.
 */
export class AnswerCache {
  private readonly answers = new Map<string, unknown>();
  /** Answers being computed: the requests for the same ETag meanwhile wait for the one run instead of each running it. */
  private readonly computing = new Map<string, Promise<unknown>>();

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

  /**
   * The kept answer, the one being computed, or a new computation shared with every request for the same ETag until
   * it ends (a projection that moves under a full dashboard would otherwise run each query once per waiting request).
   */
  getOrCompute(etag: string, compute: () => Promise<unknown>): Promise<unknown> {
    if (this.answers.has(etag)) return Promise.resolve(this.answers.get(etag));
    let running = this.computing.get(etag);
    if (!running) {
      running = compute().then(
        (answer) => {
          this.computing.delete(etag);
          this.set(etag, answer);
          return answer;
        },
        (error: unknown) => {
          this.computing.delete(etag);
          throw error;
        },
      );
      this.computing.set(etag, running);
    }
    return running;
  }

  get size(): number {
    return this.answers.size;
  }
}
