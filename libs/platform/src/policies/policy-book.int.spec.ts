import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrate } from '#libs/database';
import { eventStoreMigrations, PostgresEventStore, type EventStore } from '#libs/event-store';
import { createTestDatabase, type TestDatabase } from '#libs/testing';
import { newCommandContext } from '../commands/command-context.js';
import { PolicyBook, policyStream } from './policy-book.js';

describe('the tenant’s rules as one command sees them', () => {
  let db: TestDatabase;
  let book: PolicyBook;
  const reads: string[] = [];
  const principal = () => ({ subject: 'admin-1', tenant: 'trondheim', role: 'admin' as const });

  beforeAll(async () => {
    db = await createTestDatabase('policy_book');
    await migrate(db.pool, eventStoreMigrations);
    const real = new PostgresEventStore(db.pool);
    // The real store, counting the reads of the rules' stream.
    const counting = new Proxy(real, {
      get: (target, name) =>
        name === 'readStream'
          ? (stream: string, ...rest: unknown[]) => {
              reads.push(stream);
              return (target.readStream as (...args: unknown[]) => unknown).call(target, stream, ...rest);
            }
          : Reflect.get(target, name, target),
    }) as EventStore;
    book = new PolicyBook(counting);
  });
  afterAll(() => db.drop());

  it('reads the rules once per command, however many of its steps ask, and anew for the next command', async () => {
    const command = newCommandContext(principal(), { now: new Date('2026-03-01T10:00:00Z') });
    // The steps of one command are copies of its context with their own ids; they share its principal.
    const step = { ...command, commandId: 'step-2' };
    await Promise.all([book.forCommand(command, 'enrolment'), book.forCommand(step, 'enrolment')]);
    await book.forCommand(command, 'enrolment');
    expect(reads.filter((stream) => stream === policyStream('trondheim', 'enrolment'))).toHaveLength(1);

    await book.forCommand(newCommandContext(principal(), { now: new Date() }), 'enrolment');
    await book.forCommand(command, 'waitlist');
    expect(reads).toEqual([
      policyStream('trondheim', 'enrolment'),
      policyStream('trondheim', 'enrolment'),
      policyStream('trondheim', 'waitlist'),
    ]);
  });
});
