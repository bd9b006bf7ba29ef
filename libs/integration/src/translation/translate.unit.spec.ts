import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import type { RecordedEvent } from '#libs/event-store';
import { MESSAGE_CONTRACTS } from '../contracts/catalogue.js';
import { outboundValidator } from '../contracts/validation.js';
import { sampleAppends } from './domain-event-samples.js';
import { translate } from './translate.js';

const recorded = (): RecordedEvent[] =>
  sampleAppends('trondheim', 1).flatMap(({ streamName, events }) =>
    events.map((event, revision) => ({
      ...event,
      streamName,
      streamRevision: revision,
      position: BigInt(revision),
      recordedAt: new Date(),
    })),
  );
const byType = (type: string) => recorded().filter((e) => e.type === type);
const only = (type: string) => {
  const [event] = byType(type);
  assert.ok(event, `a sample ${type}`);
  return translate(event);
};

describe('translation of domain events into integration events', () => {
  it('gives every public message type from the samples, each valid against its JSON Schema', () => {
    const validator = outboundValidator();
    const messages = recorded().flatMap(translate);
    for (const message of messages) assert.equal(validator.errors(message.type, message.body), undefined);
    assert.deepEqual([...new Set(messages.map((m) => m.type))].sort(), MESSAGE_CONTRACTS.map((c) => c.type).sort());
  });

  it('carries the event id, stream, tenant, correlation and time in the envelope', () => {
    const [event] = byType('PlaceOffered');
    assert.ok(event);
    const [message] = translate(event);
    assert.deepEqual(message && { ...message, body: undefined }, {
      id: event.eventId,
      type: 'kulturskole.waitlist.offer-made.v1',
      topic: 'kulturskole.waitlist.v1',
      key: event.streamName,
      source: '/kulturskole/trondheim/waitlist',
      time: event.metadata.occurredAt,
      tenant: 'trondheim',
      correlationId: event.metadata.correlationId,
      schemaVersion: 1,
      body: undefined,
    });
  });

  it('publishes a place start to administration and, with its dimensions, to statistics', () =>
    assert.deepEqual(
      only('PlaceEnrolled').map((m) => m.topic),
      ['kulturskole.enrolment.v1', 'kulturskole.statistics.v1'],
    ));

  it('keeps internal events internal', () =>
    assert.deepEqual(
      ['SeatsReleased', 'SeatReserved', 'SeatReservationReleased', 'MainAdmissionRun'].flatMap(only),
      [],
    ));

  it('ignores an event type outside the context that owns it', () => {
    const [event] = byType('PlaceOffered');
    assert.ok(event);
    assert.deepEqual(translate({ ...event, streamName: 'trondheim.funding.household-x' }), []);
  });

  it('gives billing fee lines per payer and semester with a payerRef, in øre', () => {
    const [message] = only('SemesterFeesAssessed');
    assert.deepEqual(message?.body, {
      assessmentId: 'assessment-1',
      payerRef: 'payer-1',
      schoolYear: '2025-2026',
      term: 'autumn',
      currency: 'NOK',
      totalOre: 105_250,
      lines: [
        { kind: 'BaseFee', placeId: 'place-a-1', studentRef: 'stu-1', amountOre: 210_500 },
        { kind: 'SiblingDiscount', placeId: 'place-a-1', studentRef: 'stu-1', amountOre: -105_250 },
      ],
      replacesAssessmentId: null,
      assessedAt: '2025-08-20T09:00:00.000Z',
    });
  });

  it('publishes an offering’s fee in øre, and in whole kroner for consumers of the first shape', () => {
    const [event] = byType('OfferingOpened');
    assert.ok(event);
    const { feePerSemesterNok: _kroner, ...rest } = event.data as Record<string, unknown>;
    const fees = (data: object) =>
      translate({ ...event, data }).map(({ type, body }) => {
        assert.equal(outboundValidator().errors(type, body), undefined);
        const { feePerSemesterNok, feePerSemesterOre } = body as unknown as Record<string, unknown>;
        return { feePerSemesterNok, feePerSemesterOre };
      });
    assert.deepEqual(
      [...fees(event.data as object), ...fees({ ...rest, feePerSemesterOre: 205_250 })],
      [
        { feePerSemesterNok: 2105, feePerSemesterOre: 210_500 },
        { feePerSemesterNok: 2053, feePerSemesterOre: 205_250 },
      ],
    );
  });

  it('keeps a fee change internal: billing learns of it through the semesters it reassesses', () => {
    const [event] = byType('OfferingOpened');
    assert.ok(event);
    const data = { offeringId: 'o-1', feePerSemesterOre: 215_000, previousFeePerSemesterOre: 205_250 };
    assert.deepEqual(translate({ ...event, type: 'OfferingFeeChanged', data }), []);
  });

  it('tells billing only the decided waiver level: no income, band, basis or case worker', () => {
    const [message] = only('FeeWaiverGranted');
    assert.deepEqual(Object.keys(message?.body ?? {}).sort(), [
      'applicationId',
      'decidedAt',
      'householdRef',
      'level',
      'payPercent',
      'schoolYear',
    ]);
  });

  it('gives the waitlist a birth year instead of the birth month, and no special needs', () => {
    const [message] = only('ApplicationSubmitted');
    assert.deepEqual(message?.body, {
      applicationId: 'app-1',
      offeringId: 'piano-ranheim-1',
      childRef: 'child-1',
      birthYear: 2014,
      hasPlace: false,
      joinedAt: '2025-08-20T09:00:00.000Z',
    });
  });

  it('tells of a refused admission by its refusal code only, not the internal message', () => {
    const [message] = only('AdmissionRefused');
    assert.deepEqual(message?.body, {
      offerId: 'offer-1',
      applicationId: 'app-1',
      offeringId: 'piano-ranheim-1',
      childRef: 'child-1',
      reason: 'StudentHoldsTooManyPlaces',
      entry: 'kept',
      refusedAt: '2025-08-20T09:00:00.000Z',
    });
  });

  it('reports acceptance by silence as an accepted answer', () =>
    assert.deepEqual(
      only('OfferAccepted').map((m) =>
        [m.body as { answer: string; bySilence: boolean }].map((b) => [b.answer, b.bySilence]),
      ),
      [[['accepted', true]]],
    ));

  it('tells the notification service who is asked, reminded and answered by pseudonymous ids only (rule 6)', () => {
    const bodies = [
      'PlaceReregistrationRequested',
      'PlaceReregistrationReminded',
      'PlaceReregistered',
      'PlaceQuitAtYearEnd',
    ]
      .flatMap((type) => only(type))
      .map((m) => [m.type, m.body] as const);
    assert.deepEqual(
      bodies.map(([type, body]) => [type, Object.keys(body).sort()]),
      [
        [
          'kulturskole.enrolment.place-reregistration-requested.v1',
          ['deadline', 'offeringId', 'placeId', 'requestedAt', 'schoolYear', 'studentRef'],
        ],
        [
          'kulturskole.enrolment.place-reregistration-reminded.v1',
          ['deadline', 'offeringId', 'placeId', 'remindedAt', 'schoolYear', 'studentRef'],
        ],
        ...['place-reregistration-answered', 'place-reregistration-answered'].map((name) => [
          `kulturskole.enrolment.${name}.v1`,
          ['answer', 'answeredAt', 'continues', 'lastDay', 'offeringId', 'placeId', 'schoolYear', 'studentRef'],
        ]),
      ],
    );
    const answers = bodies.slice(2).map(([, b]) => b as { continues: boolean; lastDay: string | null });
    assert.deepEqual(
      answers.map((a) => [a.continues, a.lastDay]),
      [
        [true, null],
        [false, '2026-07-31'],
      ],
    );
  });
});
