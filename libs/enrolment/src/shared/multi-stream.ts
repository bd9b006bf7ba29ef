import { DomainError } from '#libs/decider';

const ATTEMPTS = 3;

/**
 * A later write that must land because an earlier one stands and cannot be taken back. It is tried again on a
 * failure (its event ids derive from the command, so a try that did land is not doubled); a refusal that `done`
 * recognises means the change is already in the stream, and answers `undefined`.
 */
export const complete = async <T>(
  write: () => Promise<T>,
  done: (error: DomainError) => boolean,
): Promise<T | undefined> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (error instanceof DomainError) {
        if (done(error)) return undefined;
        throw error;
      }
      if (attempt >= ATTEMPTS) throw error;
    }
  }
};
