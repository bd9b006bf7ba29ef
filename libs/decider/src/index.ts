/**
 * A context's write model as two pure functions (DESIGN.md, Domain): no clock, no random, no I/O inside.
 * Time and ids arrive with the command.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState: State;
}

/** A stored event: `type` is the stored name and never changes; `data` is plain JSON (times as ISO strings). */
export interface Event<Type extends string, Data> {
  readonly type: Type;
  readonly data: Readonly<Data>;
}

/** Time (`now`, an ISO instant) and generated ids arrive with the command; a decider reads no clock. */
export interface CommandMetadata {
  readonly now: string;
}

export interface Command<Type extends string, Data> {
  readonly type: Type;
  readonly data: Readonly<Data>;
  readonly metadata: CommandMetadata;
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

/** A context's rules for a school year ("2025-2026"). */
export type PoliciesBySchoolYear<Policy> = (schoolYear: string) => Policy;

/** The defaults, overridden per school year where the municipality decided otherwise. */
export const policiesBySchoolYear =
  <Policy extends object>(
    overrides: Readonly<Record<string, Partial<Policy>>>,
    defaults: Policy,
  ): PoliciesBySchoolYear<Policy> =>
  (schoolYear) => ({ ...defaults, ...overrides[schoolYear] });

/** `record` with `key` left out: for `evolve`, which never changes the state it was given. */
export const without = <T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> => {
  const { [key]: _removed, ...rest } = record;
  return rest;
};

export const assertNever = (value: never): never => {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
};

type Kind = DomainError['kind'];
/** What a refusal says: its message, and the request field it names when the input was wrong. */
type Description = string | { readonly message: string; readonly field: string };

/**
 * The base of one kind of refusal, from its kind and how it reads:
 * `export class PlaceNotFound extends refusal('not_found', (placeId: string) => `No place ${placeId}`) {}`.
 * The class keeps its own name (the problem's `code`) and `instanceof` works as for any error class.
 */
export const refusal = <Args extends unknown[]>(kind: Kind, describe: (...args: Args) => Description) =>
  class extends DomainError {
    readonly kind = kind;
    readonly field: string | undefined;
    constructor(...args: Args) {
      const description = describe(...args);
      super(typeof description === 'string' ? description : description.message);
      this.field = typeof description === 'string' ? undefined : description.field;
    }
  };

export { PersistentMap } from './persistent-map.js';
