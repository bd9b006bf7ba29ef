/** A stored event: `type` is the stored name and never changes. */
export interface Event<Type extends string, Data> {
  readonly type: Type;
  readonly data: Readonly<Data>;
}

/** Time (`now`, an ISO instant) and generated ids arrive with the command; the deciders read no clock. */
export interface Command<Type extends string, Data> {
  readonly type: Type;
  readonly data: Readonly<Data>;
  readonly metadata: { readonly now: string };
}
