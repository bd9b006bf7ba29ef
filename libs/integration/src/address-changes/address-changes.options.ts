import { Transport, type KafkaOptions } from '@nestjs/microservices';

export const STUDENT_DISTRICT_TENANT = Symbol('STUDENT_DISTRICT_TENANT');

/**
 * The Kafka transport for `app.connectMicroservice(...)`: values stay bytes (keepBinary) so the dead-letter topic
 * gets exactly what arrived; no '-server' suffix, so the consumer group is the name operators see.
 */
export const addressChangeConsumerOptions = (
  brokers: readonly string[],
  groupId = 'kulturskole-address-changes',
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
