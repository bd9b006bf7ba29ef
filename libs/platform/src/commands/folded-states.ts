/** The state folded from a stream's events up to and including `revision`. */
export interface Folded<State> {
  revision: number;
  state: State;
}

/**
 * Folded states of the streams commands ran on lately, per `evolve` function, so the next command on a stream reads
 * only the events after them. Sound because a stream is append-only (its first n events never change) and `evolve`
 * is pure and never changes the state it is given; a state folded by another `evolve` is never used. Bounded per
 * `evolve`: the least recently used stream goes first.
 */
export class FoldedStates {
  private readonly byEvolve = new WeakMap<object, Map<string, Folded<unknown>>>();

  constructor(private readonly capacity = 10_000) {}

  get<State>(evolve: object, stream: string): Folded<State> | undefined {
    const streams = this.byEvolve.get(evolve);
    const folded = streams?.get(stream);
    if (!streams || !folded) return undefined;
    // Most recently used last.
    streams.delete(stream);
    streams.set(stream, folded);
    return folded as Folded<State>;
  }

  set<State>(evolve: object, stream: string, folded: Folded<State>): void {
    let streams = this.byEvolve.get(evolve);
    if (!streams) this.byEvolve.set(evolve, (streams = new Map()));
    const known = streams.get(stream);
    // Two commands on one stream may finish out of order: keep the longer fold.
    if (known && known.revision >= folded.revision) return;
    streams.delete(stream);
    if (streams.size >= this.capacity) {
      const oldest = streams.keys().next();
      if (!oldest.done) streams.delete(oldest.value);
    }
    streams.set(stream, folded);
  }
}
