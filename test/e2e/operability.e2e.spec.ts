import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { EnrolmentHttpModule } from '#libs/enrolment';
import { platformWith, startAppUnderTest, type AppUnderTest } from '#libs/testing';

const App = platformWith(EnrolmentHttpModule);

describe('operability: correlation id, HTTP metrics per route, readiness, rate limits', () => {
  let sut: AppUnderTest;
  let operator: string;
  let caseworker: string;

  beforeAll(async () => {
    sut = await startAppUnderTest(App, { env: { RATE_LIMIT_PER_TOKEN: '5', RATE_LIMIT_WINDOW_SECONDS: '60' } });
    operator = await sut.token('admin', sut.runtime.config.OPERATOR_TENANT);
    caseworker = await sut.token('caseworker');
  });
  afterAll(async () => sut.close());

  it('returns the correlation id on every answer, a given one or a new one', async () => {
    const given = await sut.request('GET', '/enrolment/offerings/none', {
      token: await sut.token('admin'),
      headers: { 'x-correlation-id': 'req-abcdef12' },
    });
    assert.equal(given.headers.get('x-correlation-id'), 'req-abcdef12');
    const fresh = await sut.request('GET', '/health/live');
    assert.match(fresh.headers.get('x-correlation-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('is ready only with the store answering and its migrations applied', async () => {
    const ready = await sut.request('GET', '/health/ready');
    assert.equal(ready.status, 200);
    const info = (ready.body as { info: Record<string, { status: string }> }).info;
    assert.equal(info.migrations?.status, 'up');
    assert.equal(info.database?.status, 'up');
    await sut.db.pool.query('DELETE FROM schema_migrations WHERE id = (SELECT min(id) FROM schema_migrations)');
    assert.equal((await sut.request('GET', '/health/ready')).status, 503);
    assert.equal((await sut.request('GET', '/health/live')).status, 200);
  });

  it('counts requests per route template, not per URL, with their status and duration', async () => {
    const metrics = await sut.request('GET', '/metrics', { token: operator });
    assert.equal(metrics.status, 200);
    const text = String(metrics.body);
    assert.match(text, /kulturskole_http_requests_total\{method="GET",route="\/health\/ready",status="200"\} \d+/);
    assert.match(text, /kulturskole_http_requests_total\{method="GET",route="\/health\/ready",status="503"\} 1/);
    assert.match(
      text,
      /kulturskole_http_request_duration_seconds_bucket\{le="[\d.]+",method="GET",route="\/health\/live"\}/,
    );
    assert.doesNotMatch(text, /route="\/enrolment\/offerings\/none"/);
    // The new series, for the record of a run.
    console.log(
      text
        .split('\n')
        .filter((line) => /^kulturskole_http_requests_total|_count\{/.test(line))
        .join('\n'),
    );
  });

  it('answers 429 with Retry-After as problem+json beyond the per-token limit, and never limits probes', async () => {
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<AppUnderTest['request']>> | undefined;
    for (let i = 0; i < 7; i++) {
      const response = await sut.request('GET', '/enrolment/school-years/2025-2026/rollover', { token: caseworker });
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    assert.deepEqual(statuses.slice(0, 5).includes(429), false);
    assert.ok(limited, `statuses ${statuses.join(',')}`);
    assert.match(limited.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    const problem = limited.body as { type: string; status: number; title: string; detail: string };
    assert.equal(problem.status, 429, JSON.stringify(problem));
    assert.match(problem.detail, /At most 5 requests per 1 minute/, JSON.stringify(problem));
    assert.equal(problem.type, 'https://kulturskole.example/problems/rate-limited');
    assert.equal(problem.title, 'Too many requests');
    // Another token is counted on its own; probes are exempt.
    assert.notEqual(
      (await sut.request('GET', '/enrolment/school-years/2025-2026/rollover', { token: await sut.token('admin') }))
        .status,
      429,
    );
    for (let i = 0; i < 8; i++) assert.equal((await sut.request('GET', '/health/live')).status, 200);
  });
});
