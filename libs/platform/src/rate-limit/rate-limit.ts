import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { AppConfig } from '../config/app-config.js';

// Probes and scrapes are never limited: a throttled probe would take a healthy instance out.
const EXEMPT = /^\/(health|metrics)(\/|$|\?)/;

const bearerOf = (request: FastifyRequest): string | undefined => {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
};

/**
 * Per token for callers with a bearer token (hashed, so no token is kept as a key), per client address for the
 * rest. Beyond the limit: 429 with Retry-After and a problem+json body. Defaults are high (docs/runbook.md).
 */
export const registerRateLimit = async (fastify: FastifyInstance, config: AppConfig): Promise<void> => {
  const perToken = config.RATE_LIMIT_PER_TOKEN;
  const perAddress = config.RATE_LIMIT_PER_ADDRESS;
  if (perToken === 0 && perAddress === 0) return;
  await fastify.register(rateLimit, {
    global: true,
    timeWindow: config.RATE_LIMIT_WINDOW_SECONDS * 1000,
    keyGenerator: (request) => {
      const token = bearerOf(request);
      return token ? `token:${createHash('sha256').update(token).digest('base64url')}` : `address:${request.ip}`;
    },
    max: (_request, key) => (key.startsWith('token:') ? perToken : perAddress) || Number.MAX_SAFE_INTEGER,
    allowList: (request) => EXEMPT.test(request.url),
    // Thrown into Nest's ProblemDetailsFilter, which answers it as problem+json (type …/problems/rate-limited).
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      code: 'RATE-LIMITED',
      message: `At most ${context.max} requests per ${context.after}; try again in ${Math.ceil(context.ttl / 1000)} s`,
    }),
  });
};
