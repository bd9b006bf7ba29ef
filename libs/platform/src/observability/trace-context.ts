import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';

/** The platform's tracer; a no-op (nothing recorded, nothing allocated) when no SDK was started. */
export const tracer = () => trace.getTracer('kulturskole-platform');

export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/** The active trace context as W3C headers, to keep in an event's metadata or a message's headers; empty when off. */
export const currentTraceContext = (): TraceCarrier => {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent
    ? { traceparent: carrier.traceparent, ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}) }
    : {};
};

/** The context a carrier names (an event's metadata, a message's headers), or the root when it names none. */
export const contextFrom = (carrier: TraceCarrier | undefined): Context =>
  carrier?.traceparent ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;

/**
 * Runs `work` in a span parented by the trace an event or message carries, so the work it causes (appends, follow-up
 * commands) stays in that trace. With tracing off this is just `work()`.
 */
export const inSpanOf = async <T>(
  carrier: TraceCarrier | undefined,
  name: string,
  attributes: Record<string, string | number | boolean>,
  work: (span: Span) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> => {
  const span = tracer().startSpan(name, { kind, attributes }, contextFrom(carrier));
  try {
    return await context.with(trace.setSpan(context.active(), span), () => work(span));
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
    throw error;
  } finally {
    span.end();
  }
};

/** The trace and span ids of the active span, for log lines; nothing when tracing is off. */
export const traceIdsForLog = (): { traceId?: string; spanId?: string } => {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId, traceFlags } = span.spanContext();
  return traceFlags === 0 && traceId === '00000000000000000000000000000000' ? {} : { traceId, spanId };
};
