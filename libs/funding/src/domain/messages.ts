/** Stored events: a stable past-tense type string and plain JSON data (dates as ISO strings). */
export interface DomainEvent<Type extends string, Data> {
  type: Type;
  data: Data;
}

/** Time arrives with the command, never from a clock inside the domain. */
export interface DomainCommand<Type extends string, Data> {
  type: Type;
  data: Data;
  metadata: { now: Date };
}
