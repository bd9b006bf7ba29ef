/**
 * The servers the integration and end-to-end tiers talk to, started once by jest's global setup and stopped by its
 * teardown: an embedded PostgreSQL unless DATABASE_URL is set, a real Kafka broker unless KAFKA_BROKERS is set.
 * Workers inherit both URLs through the environment, which is set before jest forks them.
 */
import { chmod, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '#libs/database';
import { freePort, startKafkaBroker } from '#libs/testing';

const stops: (() => Promise<void>)[] = [];

const startPostgres = async (): Promise<void> => {
  if (process.env.DATABASE_URL) return console.log('PostgreSQL: using DATABASE_URL');
  // World-traversable parent: as root the server runs as the postgres user and must reach its data folder.
  const parent = path.join(os.tmpdir(), `kulturskole-test-${process.pid}`);
  await mkdir(parent, { recursive: true });
  await chmod(parent, 0o755);
  const database = await startEmbeddedPostgres({ dataDir: path.join(parent, 'pg'), port: await freePort() });
  process.env.DATABASE_URL = database.url;
  stops.push(async () => {
    await database.stop();
    await rm(parent, { recursive: true, force: true });
    delete process.env.DATABASE_URL;
  });
  console.log('PostgreSQL: embedded server started for the tests');
};

const startKafka = async (): Promise<void> => {
  if (process.env.KAFKA_BROKERS) return console.log(`Kafka: using KAFKA_BROKERS=${process.env.KAFKA_BROKERS}`);
  if (process.env.KULTURSKOLE_KAFKA_LEFT_OUT) {
    return console.log(`Kafka: specs that need a broker are NOT RUN (${process.env.KULTURSKOLE_KAFKA_LEFT_OUT})`);
  }
  try {
    const started = Date.now();
    const broker = await startKafkaBroker();
    process.env.KAFKA_BROKERS = broker.brokers;
    stops.push(async () => {
      await broker.stop();
      delete process.env.KAFKA_BROKERS;
    });
    console.log(`Kafka: broker started at ${broker.brokers} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    const reason = (error as Error).message;
    if (process.env.REQUIRE_KAFKA === '1') {
      throw new Error(`REQUIRE_KAFKA=1 but the Kafka broker could not start: ${reason}`);
    }
    // The Kafka specs stay listed and fail, each naming the missing broker: nothing passes by not running.
    console.log(`Kafka: NOT AVAILABLE, specs that need it will fail (${reason.split('\n')[0]})`);
  }
};

export const startServices = async (): Promise<void> => {
  console.log('');
  await startPostgres();
  await startKafka();
  if (!process.env.EVENTSTORE_CONNECTION_STRING) {
    console.log(
      'EventStoreDB: contract suite NOT RUN (EVENTSTORE_CONNECTION_STRING is not set; see docker-compose.yml)',
    );
  }
};

export const stopServices = async (): Promise<void> => {
  for (const stop of stops.splice(0).reverse()) await stop().catch((e: unknown) => console.error('stop failed:', e));
};
