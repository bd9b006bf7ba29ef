import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { DomainError } from '#libs/decider';
import { isKnown, NotInRegister, TRONDHEIM_REGISTERS } from '#libs/municipality';
import { platformWith, startAppUnderTest, type AppUnderTest } from '#libs/testing';
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

class StudentIsNotEnrolled extends DomainError {
  readonly kind = 'not_found' as const;
}

/** Stands in for the enrolment handler the lead adds: records what it was asked, fails once where told. */
class RecordingUpdater extends StudentDistrictUpdater {
  readonly applied: ChangeStudentDistrict[] = [];
  private failedOnce = false;
  async changeDistrict(command: ChangeStudentDistrict): Promise<DistrictChangeOutcome> {
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

const change = (subject: string, district = 'Heimdal') =>
  JSON.stringify({ changeId: `c-${subject}`, subjectRef: `${subject}-${run}`, district, effectiveOn: '2025-09-01' });

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

  beforeAll(async () => {
    const kafka = new Kafka({ clientId: 'address-spec', brokers, logLevel: logLevel.NOTHING });
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

    sut = await startAppUnderTest(platformWith(AddressChangesModule.forUpdater({ useValue: updater }, 'trondheim')));
    sut.app.connectMicroservice(addressChangeConsumerOptions(brokers, `address-spec-${run}`));
    await sut.app.startAllMicroservices();

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: ADDRESS_CHANGED_TOPIC,
      messages: messages.map(([key, value]) => ({ key: `${run}-${key}`, value })),
    });
    await producer.disconnect();

    const deadline = Date.now() + 60_000;
    while (updater.applied.length < 3 || updater.movedOut.length < 1 || deadLetters.length < 4) {
      if (Date.now() > deadline) {
        throw new Error(`timed out: ${updater.applied.length} applied, ${deadLetters.length} dead letters`);
      }
      await sleep(50);
    }
  });
  afterAll(async () => {
    await dlqConsumer.disconnect();
    await sut.close();
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
});
