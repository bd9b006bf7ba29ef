// A consumer of the kulturskole's integration events, for municipal developers: prints each event once.
// Run from the repository root:  KAFKA_BROKERS=localhost:9092 node examples/consumer/consumer.mjs
// Needs only `kafkajs` (npm install kafkajs) when copied elsewhere.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';

const brokers = (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(',');
const groupId = process.env.GROUP_ID ?? 'example-consumer';
const topics = (
  process.env.TOPICS ??
  'kulturskole.enrolment.v1,kulturskole.waitlist.v1,kulturskole.funding.v1,kulturskole.statistics.v1'
).split(',');
const seenFile = process.env.SEEN_FILE ?? `.seen-${groupId}.txt`;

// Delivery is at least once: after a relay restart a message can come again with the same ce_id.
// Remember what was handled (here in a file; in a real system, in the same database transaction as the effect).
const seen = new Set(existsSync(seenFile) ? readFileSync(seenFile, 'utf8').split('\n').filter(Boolean) : []);
const dedupeKey = (topic, ceId) => `${topic} ${ceId}`;

const header = (headers, name) => headers?.[name]?.toString();

const handle = (topic, message) => {
  const type = header(message.headers, 'ce_type');
  const body = JSON.parse(message.value.toString());
  // Binary-mode CloudEvents: the envelope is in the headers, the body is the event's data.
  switch (type) {
    case 'kulturskole.funding.semester-fees-assessed.v1':
      console.log(
        `invoice payer ${body.payerRef} for ${body.term} ${body.schoolYear}: NOK ${(body.totalOre / 100).toFixed(2)}` +
          ` in ${body.lines.length} lines${body.replacesAssessmentId ? ` (replaces ${body.replacesAssessmentId})` : ''}`,
      );
      break;
    case 'kulturskole.enrolment.place-started.v1':
      console.log(`place ${body.placeId} started for student ${body.studentRef} in ${body.offeringId}`);
      break;
    case 'kulturskole.enrolment.place-ended.v1':
      console.log(`place ${body.placeId} ends ${body.endedOn} (${body.reason})`);
      break;
    default:
      // Ignore types (and fields) you do not know: new ones may be added to a version at any time.
      console.log(`${type} on ${topic} (key ${message.key?.toString()})`);
  }
};

const kafka = new Kafka({ clientId: 'kulturskole-example-consumer', brokers, logLevel: logLevel.WARN });
const consumer = kafka.consumer({ groupId });
await consumer.connect();
await consumer.subscribe({ topics, fromBeginning: true });
await consumer.run({
  eachMessage: async ({ topic, message }) => {
    const ceId = header(message.headers, 'ce_id');
    if (!ceId) return console.warn(`skipping a message without ce_id on ${topic}`);
    const key = dedupeKey(topic, ceId);
    if (seen.has(key)) return console.log(`duplicate ${ceId} skipped`);
    handle(topic, message);
    seen.add(key);
    appendFileSync(seenFile, `${key}\n`);
  },
});
console.log(`consuming ${topics.join(', ')} from ${brokers.join(',')} as group ${groupId}; Ctrl-C to stop`);

const stop = async () => {
  await consumer.disconnect();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
