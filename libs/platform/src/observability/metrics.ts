import { Controller, Get, Header, Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { OperatorsOnly, Roles } from '../auth/auth.guard.js';
import { QueryOperation } from '../http/api-contract.js';

/** One registry per process; the event store and HTTP layer report into it. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly appends = new Counter({
    name: 'kulturskole_event_store_appends_total',
    help: 'Appends to the event store, by context',
    labelNames: ['context'],
    registers: [this.registry],
  });
  readonly appendedEvents = new Counter({
    name: 'kulturskole_event_store_appended_events_total',
    help: 'Events appended, by context',
    labelNames: ['context'],
    registers: [this.registry],
  });
  readonly appendSeconds = new Histogram({
    name: 'kulturskole_event_store_append_seconds',
    help: 'Append latency',
    labelNames: ['context'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly httpRequests = new Counter({
    name: 'kulturskole_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  readonly httpSeconds = new Histogram({
    name: 'kulturskole_http_request_duration_seconds',
    help: 'HTTP request duration, by method and route template',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  recordAppend = (streamName: string, eventCount: number, seconds: number): void => {
    const context = streamName.split('.')[1] ?? 'unknown';
    this.appends.inc({ context });
    this.appendedEvents.inc({ context }, eventCount);
    this.appendSeconds.observe({ context }, seconds);
  };

  /** `route` is the template (`/students/:id`), never the raw URL, so the series stay few; errors are status >= 400. */
  recordHttp = (method: string, route: string, status: number, seconds: number): void => {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpSeconds.observe({ method, route }, seconds);
  };
}

/** Counts over every tenant of the process: an operators' view, not a municipality's. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Roles('admin', 'integration')
  @OperatorsOnly()
  @QueryOperation({
    summary: 'Prometheus metrics of the process (operators only: a token of OPERATOR_TENANT)',
    response: { type: 'string' },
    alsoProduces: ['text/plain'],
  })
  @Header('content-type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
