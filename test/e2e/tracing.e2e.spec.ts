import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { AdmissionModule, admissionMigrations } from '#libs/admission';
import { EnrolmentHttpModule } from '#libs/enrolment';
import { RelayModule } from '#libs/integration';
import { PersonalDataHttpModule, personalDataMigrations } from '#libs/personal-data';
import { ProjectionsModule, projectionsMigrations } from '#libs/projections';
import {
  committedEvents,
  eventually,
  fodselsnummerFor,
  platformWith,
  startAppUnderTest,
  type AppUnderTest,
} from '#libs/testing';
import { WaitlistHttpModule, waitlistQueueProjection } from '#libs/waitlist';

/**
 * Jest runs the TypeScript sources in its own module registry, where the ESM loader hook cannot patch modules
 * (ADR 0012). node:http is the one module jest takes from Node itself: the HTTP instrumentation patches it through
 * Node's require (the createRequire below), so the server span is the real instrumentation's; the rest of the trace
 * is the platform's own trace-context propagation through event metadata.
 */
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
const http = new HttpInstrumentation();
http.setTracerProvider(provider);
http.enable();
// Jest asks Node itself for node:http (the same object fastify gets); patched here explicitly, as a hook would.
const nodeHttp = createRequire(import.meta.url)('http') as { Server: { prototype: { emit: { __wrapped?: boolean } } } };
if (!nodeHttp.Server.prototype.emit.__wrapped) {
  http
    .getModuleDefinitions()
    .find((definition) => definition.name === 'http')
    ?.patch?.(nodeHttp, process.versions.node);
}

const TracedApp = platformWith(
  PersonalDataHttpModule,
  EnrolmentHttpModule,
  WaitlistHttpModule,
  AdmissionModule,
  RelayModule,
  ProjectionsModule.register({ projections: [waitlistQueueProjection], run: true, idleMs: 20 }),
);

describe('one trace from an HTTP command through the append to the projection', () => {
  let sut: AppUnderTest;
  let token: string;

  beforeAll(async () => {
    sut = await startAppUnderTest(TracedApp, {
      migrations: [...admissionMigrations, ...personalDataMigrations, ...projectionsMigrations],
      env: { KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '' },
    });
    token = await sut.token('caseworker');
  });
  afterAll(async () => {
    await sut.close();
    http.disable();
    await provider.shutdown();
  });

  it('keeps the trace in the event metadata and continues it in the projection that applies the event', async () => {
    const openTrace = '0af7651916cd43dd8448eb211c80319c';
    const opened = await sut.request('POST', '/enrolment/offerings', {
      token,
      headers: { traceparent: `00-${openTrace}-b7ad6b7169203331-01` },
      body: {
        ...{ subject: 'Fiolin', subjectGroup: 'music', programme: 'core', location: 'Huseby', district: 'Heimdal' },
        ...{ form: 'individual', capacity: 2, feePerSemesterNok: 2105, schoolYear: '2025-2026' },
      },
    });
    assert.equal(opened.status, 201);
    const offeringId = (opened.body as { offeringId: string }).offeringId;
    // The admission process opens the offering's waitlist; applications are taken once it has.
    await eventually(async () =>
      (await committedEvents(sut.db.pool, ['WaitlistOpened'])).some(
        (event) => (event.data as { offeringId?: string }).offeringId === offeringId,
      ),
    );
    const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const applied = await sut.request('POST', `/waitlist/offerings/${offeringId}/applications`, {
      token,
      headers: { traceparent: incoming },
      body: {
        child: {
          name: 'Ada',
          nationalId: fodselsnummerFor('2015-02-01'),
          gender: 'female',
          district: 'Heimdal',
          school: 'Huseby skole',
        },
        guardian: { name: 'Guardian of Ada', email: 'guardian@example.no' },
        specialNeeds: false,
        appliedAt: '2025-08-01T10:00:00Z',
      },
    });
    assert.equal(applied.status, 201, JSON.stringify(applied.body));
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';

    // The append: the event carries the request's trace (a child of the caller's span).
    const events = (await committedEvents(sut.db.pool, ['ApplicationSubmitted'])).filter(
      (e) => e.metadata.traceparent?.split('-')[1] === traceId,
    );
    assert.ok(events.length > 0, 'an event appended by the command carries its traceparent');

    // The projection: a span per applied event, parented by the trace in the event's metadata. The process manager
    // reads the same event on its own: wait for both, in whichever order they finish.
    const spans = await eventually(async () => {
      const all = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
      const both =
        all.some((span) => span.name.startsWith('projection ')) &&
        all.some((span) => span.name === 'process admission ApplicationSubmitted');
      return both ? all : undefined;
    });
    const server = spans.find((span) => span.kind === 1 && span.name.startsWith('POST'));
    assert.ok(server, `the HTTP server span is in the trace: ${spans.map((s) => s.name).join(', ')}`);
    const projection = spans.find((span) => span.name.startsWith('projection waitlist'));
    assert.ok(projection, `a projection span: ${spans.map((s) => s.name).join(', ')}`);
    // The process manager that answers the event runs in the same trace (its follow-up commands' events carry it).
    assert.ok(spans.some((span) => span.name === 'process admission ApplicationSubmitted'));

    // The Kafka publish: the relay's producer span for OfferingOpened is in the trace of the command that opened it.
    const published = await eventually(async () =>
      exporter
        .getFinishedSpans()
        .find((span) => span.spanContext().traceId === openTrace && span.name === 'relay publish OfferingOpened'),
    );
    assert.equal(published.kind, 3); // PRODUCER
    const openSpans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === openTrace);
    assert.ok(openSpans.some((span) => span.name.startsWith('projection ')));
    console.log(`trace ${openTrace}: ${openSpans.map((s) => s.name).join(' | ')}`);
    console.log(`trace ${traceId}: ${spans.map((s) => s.name).join(' | ')}`);
  });

  it('returns the correlation id and records nothing when a request carries no trace', async () => {
    const response = await sut.request('GET', '/health/live', { headers: { 'x-correlation-id': 'corr-12345678' } });
    assert.equal(response.headers.get('x-correlation-id'), 'corr-12345678');
  });
});
