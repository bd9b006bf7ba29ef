/**
 * One command at a time per stream in this process: commands racing on one stream here would only make each other
 * retry (read again, decide again, append again). Across processes the expected revision still decides.
 *
 * A turn waits for the one before it to end, or to have run for `patienceMs`. Turns only save retries; the expected
 * revision is what keeps a stream right. So a turn that could never end (its holder waiting, through something else,
 * on a later command on the same stream) ends in a race the expected revision settles, not in a hang. The patience
 * counts from the turn's start, not from the wait's: under a burst a long line of short turns is served in order,
 * where waits that ran out would have set the whole line racing, and each race costs a read and a retry.
 */
export class StreamTurns {
  private readonly last = new Map<string, Turn>();

  constructor(private readonly patienceMs = 1_000) {}

  async take<T>(stream: string, run: () => Promise<T>): Promise<T> {
    const before = this.last.get(stream);
    let begin!: () => void;
    const started = new Promise<void>((resolve) => (begin = resolve));
    const mine = (before ? this.waitFor(before) : Promise.resolve()).then(() => {
      begin();
      return run();
    });
    const turn: Turn = { started, settled: mine.then(noop, noop) };
    this.last.set(stream, turn);
    try {
      return await mine;
    } finally {
      if (this.last.get(stream) === turn) this.last.delete(stream);
    }
  }

  /** Until `before` has ended, or has run for the patience since it started. */
  private waitFor(before: Turn): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const overdue = before.started.then(
      () =>
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, this.patienceMs);
          timer.unref();
        }),
    );
    return Promise.race([before.settled, overdue]).finally(() => clearTimeout(timer));
  }
}

interface Turn {
  /** Resolves when the turn's command begins. */
  started: Promise<void>;
  /** Resolves when it has ended, either way. */
  settled: Promise<void>;
}

const noop = (): void => undefined;
