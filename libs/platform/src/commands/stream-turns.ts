/**
 * One command at a time per stream in this process: commands racing on one stream here would only make each other
 * retry (read again, decide again, append again). Across processes the expected revision still decides.
 */
export class StreamTurns {
  private readonly last = new Map<string, Promise<unknown>>();

  async take<T>(stream: string, run: () => Promise<T>): Promise<T> {
    const before = this.last.get(stream);
    const mine = before ? before.then(run, run) : run();
    const settled = mine.catch(() => undefined);
    this.last.set(stream, settled);
    try {
      return await mine;
    } finally {
      if (this.last.get(stream) === settled) this.last.delete(stream);
    }
  }

  /** Streams with a command running or waiting: for tests and metrics. */
  get busy(): number {
    return this.last.size;
  }
}
