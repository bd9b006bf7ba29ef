/**
 * The fault suite's long form (issue 13): `npm run chaos`, or `CHAOS_SECONDS=600 npm run chaos` for the soak.
 * Boots its own app with an embedded PostgreSQL and its own Kafka broker (java needed; otherwise KAFKA_BROKERS is
 * used without stopping it), runs a steady load while injecting the faults round after round, prints the memory of
 * each process at the start and the end, and the table of checks; exits 1 when any count is not 0.
 *
 *   CHAOS_SECONDS        how long the load runs (default 120)
 *   CHAOS_BROKER_STOP_MS how long each broker stop lasts (default 30000)
 *   CHAOS_FAULT_GAP_MS   pause between two faults (default 5000)
 *   CHAOS_WORKERS        concurrent load workers (default 3)
 *   CHAOS_THINK_MS       pause of a worker between commands (default 50): the steady rate
 */
import { runFaultSuite } from '../test/chaos/fault-suite.js';

const number = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of at least 0`);
  return value;
};

const result = await runFaultSuite({
  seconds: number('CHAOS_SECONDS', 120),
  brokerStopMs: number('CHAOS_BROKER_STOP_MS', 30_000),
  faultGapMs: number('CHAOS_FAULT_GAP_MS', 5_000),
  workers: number('CHAOS_WORKERS', 3),
  thinkMs: number('CHAOS_THINK_MS', 50),
  memory: true,
});
console.log(`\nfault suite (long form)\n${result.table}`);
const failed = result.checks.filter((check) => check.count !== 0);
console.log(failed.length ? `\nFAILED: ${failed.map((c) => c.check).join(', ')}` : '\nall checks 0');
process.exit(failed.length ? 1 : 0);
