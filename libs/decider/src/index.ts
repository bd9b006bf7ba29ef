/**
 * A context's write model as two pure functions (DESIGN.md, Domain): no clock, no random, no I/O inside.
 * Time and ids arrive with the command.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState: State;
}

/** Replays events into state. */
export const fold = <Command, Event, State>(decider: Decider<Command, Event, State>, events: readonly Event[]): State =>
  events.reduce(decider.evolve, decider.initialState);

/** A rule broken or input the domain refuses; `kind` maps to the HTTP status (400, 404, 409). */
export abstract class DomainError extends Error {
  abstract readonly kind: 'invalid' | 'not_found' | 'conflict';
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export const assertNever = (value: never): never => {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
};
