import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, KafkaRetriableException, Payload } from '@nestjs/microservices';
import { SpanKind, trace } from '@opentelemetry/api';
import { DomainError } from '#libs/decider';
import { inSpanOf } from '#libs/platform';
import { headerText } from '../relay/cloud-event-headers.js';
import { ADDRESS_CHANGED_DLQ, ADDRESS_CHANGED_TOPIC, commandIdFor, parseAddressChange } from './address-change.js';
import { STUDENT_DISTRICT_TENANT } from './address-changes.options.js';
import { StudentDistrictUpdater } from './student-district-updater.js';

/**
 * Folkeregister address changes → a student's district, or a move out of the municipality (rule 1). A message that cannot be used goes to the dead-letter
 * topic with the reason and is committed, so one bad message never stops the consumer; a failure that may pass
 * (database down) is retried by kafkajs from the same offset, so no change is lost.
 */
@Controller()
export class AddressChangesController {
  private readonly logger = new Logger('address-changes');

  constructor(
    private readonly students: StudentDistrictUpdater,
    @Inject(STUDENT_DISTRICT_TENANT) private readonly tenant: string,
  ) {}

  @EventPattern<string>(ADDRESS_CHANGED_TOPIC)
  onAddressChanged(@Payload() value: Buffer | null, @Ctx() context: KafkaContext): Promise<void> {
    // Continues the sender's trace: the CloudEvents extension (ce_traceparent) first, else the plain W3C header
    // (also what the kafkajs instrumentation's consumer span, when active, was made from).
    const headers = context.getMessage().headers;
    const active = trace.getActiveSpan()?.spanContext();
    const traceparent =
      headerText(headers, 'ce_traceparent') ??
      (active ? `00-${active.traceId}-${active.spanId}-0${active.traceFlags}` : headerText(headers, 'traceparent'));
    const tracestate = headerText(headers, 'ce_tracestate') ?? headerText(headers, 'tracestate');
    return inSpanOf(
      { traceparent, ...(tracestate ? { tracestate } : {}) },
      `consume ${ADDRESS_CHANGED_TOPIC}`,
      { 'messaging.system': 'kafka', 'messaging.destination.name': ADDRESS_CHANGED_TOPIC },
      () => this.handle(value, context),
      SpanKind.CONSUMER,
    );
  }

  private async handle(value: Buffer | null, context: KafkaContext): Promise<void> {
    const parsed = parseAddressChange(value);
    if (!parsed.ok) return this.deadLetter(context, parsed.reason);
    const { change } = parsed;
    const commandId = commandIdFor(change.changeId);
    const { tenant } = this;
    try {
      const outcome = change.movedOut
        ? await this.students.moveOut({
            tenant,
            studentId: change.subjectRef,
            effectiveOn: change.effectiveOn,
            commandId,
          })
        : await this.students.changeDistrict({
            ...{ tenant, studentId: change.subjectRef, district: change.district },
            ...{ effectiveOn: change.effectiveOn, commandId },
          });
      this.logger.log({ changeId: change.changeId, outcome }, 'address change applied');
    } catch (error) {
      if (error instanceof DomainError) return this.deadLetter(context, `refused: ${error.message}`);
      throw new KafkaRetriableException(error instanceof Error ? error.message : String(error));
    }
  }

  private async deadLetter(context: KafkaContext, reason: string): Promise<void> {
    const message = context.getMessage();
    this.logger.warn({ reason, partition: context.getPartition(), offset: message.offset }, 'address change to DLQ');
    await context.getProducer().send({
      topic: ADDRESS_CHANGED_DLQ,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            dlq_reason: reason,
            dlq_original_topic: context.getTopic(),
            dlq_original_partition: String(context.getPartition()),
            dlq_original_offset: message.offset,
          },
        },
      ],
    });
  }
}
