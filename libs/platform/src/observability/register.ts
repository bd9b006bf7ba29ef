/**
 * Loaded before the app with `node --import ./dist/libs/platform/src/observability/register.js …`: the ESM loader
 * hook (import-in-the-middle) must be in place before pg, kafkajs and node:http are imported, or the
 * instrumentations cannot patch them. Does nothing unless the OTEL_* variables ask for traces.
 */
import { register } from 'node:module';
import { tracingRequested } from '../config/app-config.js';
import { startTracing } from './tracing.js';

if (tracingRequested()) {
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  const stop = startTracing();
  // Spans still buffered go out before the process ends.
  process.once('beforeExit', () => void stop());
}
