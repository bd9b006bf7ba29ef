import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { traceIdsForLog } from './trace-context.js';

const CORRELATION = /^[\w-]{8,64}$/;

/** The correlation id a request carries (or a new one); it goes into every log line and every event it causes. */
export const correlationIdOf = (request: IncomingMessage): string => {
  const given = request.headers['x-correlation-id'];
  return typeof given === 'string' && CORRELATION.test(given) ? given : randomUUID();
};

/** JSON logs; bodies are never logged and credentials are redacted, so no personal data reaches the log. */
export const loggerModule = (level: string) =>
  LoggerModule.forRoot({
    pinoHttp: {
      level,
      // Trace and span ids on every line written inside a span, to jump from a log line to its trace.
      mixin: () => traceIdsForLog(),
      genReqId: (request) => correlationIdOf(request),
      customAttributeKeys: { reqId: 'correlationId' },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]'],
        remove: true,
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ method: req.method, url: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/health' },
    },
  });
