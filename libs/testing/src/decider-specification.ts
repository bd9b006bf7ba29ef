import assert from 'node:assert/strict';
import { fold, type Decider } from '#libs/decider';

/**
 * given(events).when(command).then(expectedEvents | ErrorClass): decider tests that read as specifications.
 * Pure: no store, no clock, nothing to fake.
 */
export const DeciderSpecification = {
  for<Command, Event, State>(decider: Decider<Command, Event, State>) {
    return (given: readonly Event[]) => ({
      when: (command: Command) => {
        const run = (): Event[] => decider.decide(command, fold(decider, given));
        return {
          then: (expected: readonly Event[]): void => assert.deepStrictEqual(run(), expected),
          thenThrows: (errorType: abstract new (...args: never[]) => Error, message?: RegExp): void => {
            assert.throws(run, (error: unknown) => {
              assert.ok(error instanceof errorType, `expected ${errorType.name}, got ${String(error)}`);
              if (message) assert.match(error.message, message);
              return true;
            });
          },
        };
      },
    });
  },
};
