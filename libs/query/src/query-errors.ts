import { DomainError } from '#libs/decider';

/** A query the endpoint cannot answer as asked: a 400 with the reason. */
export class InvalidQuery extends DomainError {
  readonly kind = 'invalid';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
