import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { Kafka, logLevel, type Consumer, type Message } from 'kafkajs';
import { DomainError } from '#libs/decider';
import { isKnown, NotInRegister, TRONDHEIM_REGISTERS } from '#libs/municipality';
import { eventually, platformWith, startAppUnderTest, type AppUnderTest } from '#libs/testing';
import { headerText } from '../relay/cloud-event-headers.js';
import { ADDRESS_CHANGED_DLQ, ADDRESS_CHANGED_TOPIC } from './address-change.js';
import { AddressChangesModule } from './address-changes.module.js';
import { addressChangeConsumerOptions } from './address-changes.options.js';
import {
  StudentDistrictUpdater,
  type ChangeStudentDistrict,
  type DistrictChangeOutcome,
  type MoveOutOutcome,
  type MoveStudentOut,
} from './student-district-updater.js';

const run = randomBytes(4).toString('hex');
const brokers = (process.env.KAFKA_BROKERS ?? '').split(',');
const groupId = `address-spec-${run}`;

// The spans the consumer records, read back as test/e2e/tracing.e2e.spec.ts does.
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();

class StudentIsNotEnrolled extends DomainError {
  readonly kind = 'not_found' as const;
}

/** Stands in for the enrolment handler the lead adds: records what it was asked, fails once where told. */
class RecordingUpdater extends StudentDistrictUpdater {
  readonly applied: ChangeStudentDistrict[] = [];
  /** The trace each student's update ran in. */
  readonly traceOf = new Map<string, string | undefined>();
  /** The update of `held-<run>` waits for `release()`, so the consumer stays behind its message meanwhile. */
  readonly holding = { reached: () => {}, release: () => {} };
  readonly heldReached = new Promise<void>((resolve) => (this.holding.reached = resolve));
  private readonly released = new Promise<void>((resolve) => (this.holding.release = resolve));
  private failedOnce = false;
  async changeDistrict(command: ChangeStudentDistrict): Promise<DistrictChangeOutcome> {
    this.traceOf.set(command.studentId, trace.getActiveSpan()?.spanContext().traceId);
    if (command.studentId === `held-${run}`) {
      this.holding.reached();
      await this.released;
    }
    if (command.studentId === `refused-${run}`) throw new StudentIsNotEnrolled('Student is not enrolled');
    // As the enrolment handler does: a district not in the tenant's register is refused.
    if (!isKnown(TRONDHEIM_REGISTERS, 'districts', command.district))
      throw new NotInRegister('districts', command.district, 'district');
    if (command.studentId === `flaky-${run}` && !this.failedOnce) {
      this.failedOnce = true;
      throw new Error('connection to the event store lost');
    }
    this.applied.push(command);
    return 'changed';
  }
  readonly movedOut: MoveStudentOut[] = [];
  async moveOut(command: MoveStudentOut): Promise<MoveOutOutcome> {
    this.movedOut.push(command);
    return 'moved-out';
  }
}

const change = (subject: string, district = 'Heimdal', changeId = `c-${subject}`) =>
  JSON.stringify({ changeId, subjectRef: `${subject}-${run}`, district, effectiveOn: '2025-09-01' });

const messages: [string, string][] = [
  ['a', change('moved')],
  ['b', 'not json {'],
  ['c', change('nowhere', 'Oslo')],
  ['d', JSON.stringify({ changeId: `c-missing-${run}`, subjectRef: `missing-${run}` })],
  ['e', change('refused')],
  ['f', change('flaky', 'Klæbu')],
  ['g', change('last', 'Midtbyen')],
  [
    'h',
    JSON.stringify({ changeId: `c-left-${run}`, subjectRef: `left-${run}`, movedOut: true, effectiveOn: '2025-10-15' }),
  ],
];

describe('address changes from the population register', () => {
  let sut: AppUnderTest;
  const updater = new RecordingUpdater();
  let dlqConsumer: Consumer;
  const deadLetters: { key: string; value: string; reason: string; topic: string }[] = [];
  const kafka = new Kafka({ clientId: 'address-spec', brokers, logLevel: logLevel.NOTHING });
  const send = async (batch: Message[]) => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: ADDRESS_CHANGED_TOPIC, messages: batch });
    await producer.disconnect();
  };

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const missing = [ADDRESS_CHANGED_TOPIC, ADDRESS_CHANGED_DLQ].filter((t) => !existing.has(t));
    if (missing.length) await admin.createTopics({ topics: missing.map((topic) => ({ topic })), waitForLeaders: true });
    await admin.disconnect();

    dlqConsumer = kafka.consumer({ groupId: `address-spec-dlq-${run}` });
    await dlqConsumer.connect();
    await dlqConsumer.subscribe({ topic: ADDRESS_CHANGED_DLQ, fromBeginning: true });
    await dlqConsumer.run({
      eachMessage: async ({ message }) => {
        const key = message.key?.toString() ?? '';
        if (!key.startsWith(run)) return;
        deadLetters.push({
          key: key.slice(run.length + 1),
          value: message.value?.toString() ?? '',
          reason: headerText(message.headers, 'dlq_reason') ?? '',
          topic: headerText(message.headers, 'dlq_original_topic') ?? '',
        });
      },
    });

    sut = await startAppUnderTest(
      platformWith(AddressChangesModule.forUpdater({ useValue: updater }, 'trondheim', [], groupId)),
      { env: { KAFKA_BROKERS: brokers.join(',') } },
    );
    sut.app.connectMicroservice(addressChangeConsumerOptions(brokers, groupId));
    await sut.app.startAllMicroservices();

    await send(messages.map(([key, value]) => ({ key: `${run}-${key}`, value })));

    const deadline = Date.now() + 60_000;
    while (updater.applied.length < 3 || updater.movedOut.length < 1 || deadLetters.length < 4) {
      if (Date.now() > deadline) {
        throw new Error(`timed out: ${updater.applied.length} applied, ${deadLetters.length} dead letters`);
      }
      await sleep(50);
    }
  });
  afterAll(async () => {
    updater.holding.release();
    await dlqConsumer.disconnect();
    await sut.close();
    await provider.shutdown();
  });

  it('updates the district of each student who moved, with a command id fixed by the change id', () => {
    // Kafka orders by key (one subject's changes); compose provisions the topic with three partitions, so across
    // subjects there is no order to check.
    assert.deepEqual(
      updater.applied.map((c) => [c.tenant, c.studentId, c.district, c.effectiveOn]).sort(),
      [
        ['trondheim', `moved-${run}`, 'Heimdal', '2025-09-01'],
        ['trondheim', `flaky-${run}`, 'Klæbu', '2025-09-01'],
        ['trondheim', `last-${run}`, 'Midtbyen', '2025-09-01'],
      ].sort(),
    );
    assert.match(
      updater.applied[0]?.commandId ?? '',
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('sends malformed or refused messages, unchanged, to the dead-letter topic with the reason', () => {
    const byKey = Object.fromEntries(deadLetters.map((d) => [d.key, d]));
    assert.deepEqual(Object.keys(byKey).sort(), ['b', 'c', 'd', 'e']);
    assert.equal(byKey.b?.value, 'not json {');
    assert.match(byKey.b?.reason ?? '', /^not JSON/);
    assert.match(byKey.c?.reason ?? '', /^refused: "Oslo" is not in this municipality's districts register/);
    assert.match(byKey.d?.reason ?? '', /^schema: .*must have required property/);
    assert.match(byKey.e?.reason ?? '', /^refused: Student is not enrolled/);
    assert.equal(byKey.c?.topic, ADDRESS_CHANGED_TOPIC);
  });

  it('asks enrolment to record a move out of the municipality, with no district', () =>
    assert.deepEqual(
      updater.movedOut.map((c) => [c.tenant, c.studentId, c.effectiveOn, 'district' in c]),
      [['trondheim', `left-${run}`, '2025-10-15', false]],
    ));

  it('keeps consuming after a bad message and retries a change whose update failed for a moment', () =>
    assert.equal(updater.applied.filter((c) => c.studentId === `flaky-${run}`).length, 1));

  // These send more changes, so they come after the tests above, which count every change applied.
  it("continues the sender's trace from ce_traceparent (or plain traceparent) in a consumer span", async () => {
    const [cloudTrace, cloudParent] = [randomBytes(16).toString('hex'), randomBytes(8).toString('hex')];
    const [plainTrace, plainParent] = [randomBytes(16).toString('hex'), randomBytes(8).toString('hex')];
    await send([
      { key: `${run}-t1`, value: change('traced'), headers: { ce_traceparent: `00-${cloudTrace}-${cloudParent}-01` } },
      { key: `${run}-t2`, value: change('plain'), headers: { traceparent: `00-${plainTrace}-${plainParent}-01` } },
    ]);
    const spanOf = (traceId: string) =>
      eventually(async () => exporter.getFinishedSpans().find((s) => s.spanContext().traceId === traceId), 60_000);
    for (const [traceId, parent, subject] of [
      [cloudTrace, cloudParent, 'traced'],
      [plainTrace, plainParent, 'plain'],
    ] as const) {
      const span = await spanOf(traceId);
      assert.equal(span.name, `consume ${ADDRESS_CHANGED_TOPIC}`);
      assert.equal(span.kind, SpanKind.CONSUMER);
      assert.equal(span.parentSpanContext?.spanId, parent, 'a child of the sender span');
      assert.equal(updater.traceOf.get(`${subject}-${run}`), traceId, 'the update ran in that trace');
    }
  });

  it('reports the consumer lag on /metrics: above 0 while changes wait, 0 once the group committed them', async () => {
    const operator = await sut.token('admin', sut.runtime.config.OPERATOR_TENANT);
    const consumerLag = async () => {
      const response = await sut.request('GET', '/metrics', { token: operator });
      assert.equal(response.status, 200);
      const lines = String(response.body)
        .split('\n')
        .filter((line) =>
          line.startsWith(`kulturskole_inbound_consumer_lag_messages{topic="${ADDRESS_CHANGED_TOPIC}"`),
        );
      return { lines, total: lines.reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0) };
    };
    // One key, so one partition: the second change waits behind the first, whose update is held.
    await send([
      { key: `${run}-held`, value: change('held') },
      { key: `${run}-held`, value: change('held', 'Lerkendal', 'c-held-again') },
    ]);
    await updater.heldReached;
    const waiting = await consumerLag();
    assert.ok(waiting.total >= 2, `both held changes count: ${waiting.lines.join(' | ')}`);

    updater.holding.release();
    const caughtUp = await eventually(async () => {
      const lag = await consumerLag();
      return lag.lines.length > 0 && lag.total === 0 && lag;
    }, 60_000);
    assert.ok(updater.applied.some((c) => c.studentId === `held-${run}` && c.district === 'Lerkendal'));
    console.log(`while held:\n${waiting.lines.join('\n')}\ncaught up:\n${caughtUp.lines.join('\n')}`);
  });
});
