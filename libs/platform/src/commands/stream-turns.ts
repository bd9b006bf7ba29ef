/**
 * One command at a time per stream in this process: commands racing on one stream here would only make each other
 * retry (read again, decide again, append again). Across processes the expected revision still decides.
 *
 * A turn waits for the one before it at most `patienceMs`. Turns only save retries; the expected revision is what
 * keeps a stream right. So a wait that could never end (a turn's holder waiting, through something else, on a later
 * command on the same stream) ends in a race the expected revision settles, not in a hang.
 */
export class StreamTurns {
  private readonly last = new Map<string, Promise<unknown>>();

  constructor(private readonly patienceMs = 1_000) {}

  async take<T>(stream: string, run: () => Promise<T>): Promise<T> {
    const before = this.last.get(stream);
    const mine = before ? this.waitFor(before).then(run) : run();
    const settled = mine.catch(() => undefined);
    this.last.set(stream, settled);
    try {
      return await mine;
    } finally {
      if (this.last.get(stream) === settled) this.last.delete(stream);
    }
  }

  private waitFor(before: Promise<unknown>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const patience = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.patienceMs);
      timer.unref();
    });
    return Promise.race([before.then(() => undefined), patience]).finally(() => clearTimeout(timer));
  }
}
