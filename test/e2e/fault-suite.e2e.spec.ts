import { describe, expect, it } from '@jest/globals';
import { runFaultSuite } from '../chaos/fault-suite.js';

/**
 * The fault suite's short form (issue 13; the long form is `npm run chaos`): under a steady load of commands over
 * HTTP, the embedded PostgreSQL is killed with SIGKILL, the admission process manager, the projector and the relay
 * are restarted, and the Kafka broker is stopped for a while, each at least once. Then nothing acknowledged is lost,
 * no subscriber skipped an event, Kafka lost or reordered nothing, and no offering holds more than its seats.
 */
describe('fault suite (short form)', () => {
  it('loses nothing, skips nothing and overbooks nothing while the database, subscribers and broker fail', async () => {
    const result = await runFaultSuite({
      seconds: Number(process.env.FAULT_SUITE_SECONDS ?? 25),
      brokerStopMs: 8_000,
      faultGapMs: 1_500,
      workers: 3,
      thinkMs: 30,
    });
    console.log(`fault suite (short form)\n${result.table}`);

    const kinds = new Set(result.faults.map((f) => f.kind));
    expect([...kinds].sort()).toEqual(
      ['broker-stop', 'postgres-sigkill', 'process-manager-restart', 'projector-restart', 'relay-restart'].sort(),
    );
    expect(result.faults.every((f) => !f.note.startsWith('skipped'))).toBe(true);
    expect(Number(result.facts['commands sent'])).toBeGreaterThan(100);
    expect(Object.fromEntries(result.checks.map((c) => [c.check, c.count]))).toEqual(
      Object.fromEntries(result.checks.map((c) => [c.check, 0])),
    );
  });
});
