import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { tracingRequested } from '../config/app-config.js';

/** The instrumentations the platform uses: HTTP in and out, PostgreSQL and kafkajs. */
export const platformInstrumentations = () => [
  new HttpInstrumentation({
    // Probes and scrapes are not traced: they would drown the traces that matter.
    ignoreIncomingRequestHook: (request) => /^\/(health|metrics)(\/|$|\?)/.test(request.url ?? ''),
  }),
  new PgInstrumentation({ requireParentSpan: true }),
  new KafkaJsInstrumentation(),
];

let started: NodeSDK | undefined;

/**
 * Starts the OpenTelemetry SDK once (OTLP exporter, W3C propagation, service name from OTEL_SERVICE_NAME, all from
 * the OTEL_* variables). `traceExporter` replaces OTLP (tests give an in-memory one). Returns the stop function.
 */
export const startTracing = (options: { traceExporter?: SpanExporter; force?: boolean } = {}) => {
  if (started || (!options.force && !tracingRequested())) return async () => undefined;
  const sdk = new NodeSDK({
    instrumentations: platformInstrumentations(),
    ...(options.traceExporter ? { traceExporter: options.traceExporter } : {}),
  });
  sdk.start();
  started = sdk;
  return async () => {
    started = undefined;
    await sdk.shutdown();
  };
};
