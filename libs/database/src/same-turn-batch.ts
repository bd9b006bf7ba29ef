interface Pending<Request, Answer> {
  request: Request;
  resolve(answer: Answer): void;
  reject(error: unknown): void;
}

/**
 * Requests asked for in the same turn of the event loop go to the database together (as a DataLoader does, but
 * flushed on setImmediate, so every I/O callback of the turn joins): under load a round trip, one system call each
 * way, costs more than the rows it carries. `answer` gets up to `most` requests and answers each, in order; if it
 * throws, every request of that batch fails with its error.
 */
export class SameTurnBatch<Request, Answer> {
  private pending: Pending<Request, Answer>[] = [];
  private scheduled = false;

  constructor(
    private readonly answer: (requests: Request[]) => Promise<Answer[]>,
    /** More requests than this wait for the next statement: one statement's answer stays small. */
    private readonly most = 64,
  ) {}

  ask(request: Request): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.pending.push({ request, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.pending.length > 0) void this.run(this.pending.splice(0, this.most));
  }

  private async run(batch: Pending<Request, Answer>[]): Promise<void> {
    try {
      const answers = await this.answer(batch.map((pending) => pending.request));
      batch.forEach((pending, index) => pending.resolve(answers[index] as Answer));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
}
