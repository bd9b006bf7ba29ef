import { Transport, type KafkaOptions } from '@nestjs/microservices';

export const STUDENT_DISTRICT_TENANT = Symbol('STUDENT_DISTRICT_TENANT');

/** The consumer group operators see; the module's lag gauge reads the same group as the transport consumes with. */
export const ADDRESS_CHANGES_GROUP = 'kulturskole-address-changes';

/**
 * The Kafka transport for `app.connectMicroservice(...)`: values stay bytes (keepBinary) so the dead-letter topic
 * gets exactly what arrived; no '-server' suffix, so the consumer group is the name operators see.
 */
export const addressChangeConsumerOptions = (
  brokers: readonly string[],
  groupId = ADDRESS_CHANGES_GROUP,
): KafkaOptions => ({
  transport: Transport.KAFKA,
  options: {
    client: { clientId: 'kulturskole-address-changes', brokers: [...brokers] },
    consumer: { groupId, allowAutoTopicCreation: false },
    subscribe: { fromBeginning: true },
    parser: { keepBinary: true },
    postfixId: '',
  },
});
