import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

/** The instrumentations the platform uses: HTTP in and out, PostgreSQL and kafkajs. */
export const platformInstrumentations = () => [
  new HttpInstrumentation({
    // Probes and scrapes are not traced: they would drown the traces that matter.
    ignoreIncomingRequestHook: (request) => /^\/(health|metrics)(\/|$|\?)/.test(request.url ?? ''),
  }),
  new PgInstrumentation({ requireParentSpan: true }),
  new KafkaJsInstrumentation(),
];

/**
 * Whether the standard OTEL_* variables ask for traces: an OTLP endpoint (or OTEL_TRACES_EXPORTER naming an
 * exporter), and not OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none. Otherwise no SDK starts and the API's no-op
 * tracer costs nothing.
 */
export const tracingWanted = (env: NodeJS.ProcessEnv = process.env): boolean => {
  if (env.OTEL_SDK_DISABLED?.toLowerCase() === 'true') return false;
  const exporters = env.OTEL_TRACES_EXPORTER?.split(',').map((e) => e.trim().toLowerCase());
  if (exporters?.includes('none')) return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || exporters?.length);
};

let started: NodeSDK | undefined;

/**
 * Starts the OpenTelemetry SDK once (OTLP exporter, W3C propagation, service name from OTEL_SERVICE_NAME, all from
 * the OTEL_* variables). `traceExporter` replaces OTLP (tests give an in-memory one). Returns the stop function.
 */
export const startTracing = (options: { traceExporter?: SpanExporter; force?: boolean } = {}) => {
  if (started || (!options.force && !tracingWanted())) return async () => undefined;
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
