import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/** The repository root (the folder with package.json), from the source under jest or the compiled file under dist. */
const repoRoot = (): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
};

/** Where `npm run build` writes the dashboard (vite, apps/dashboard). */
export const dashboardDir = (): string => path.join(repoRoot(), 'dist', 'dashboard');

interface File {
  body: Buffer;
  type: string;
  immutable: boolean;
}

/** Every built file, read once: only these names are ever served, so no request path reaches the file system. */
const readBuild = (root: string): Map<string, File> => {
  const files = new Map<string, File>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const relative = path.relative(root, full).split(path.sep).join('/');
        const type = TYPES[path.extname(name)] ?? 'application/octet-stream';
        files.set(relative, { body: readFileSync(full), type, immutable: relative.startsWith('assets/') });
      }
    }
  };
  if (existsSync(root)) walk(root);
  return files;
};

/**
 * The dashboard's own screens at `/dashboard/`: static files only, no token needed to load them (every figure they
 * show comes from the query API with the signed-in user's token). Screens are addressed by hash (`#/venteliste`).
 */
export const serveDashboard = (fastify: FastifyInstance, options: { oidcIssuer?: string }): void => {
  const files = readBuild(dashboardDir());
  const connect = ["'self'", ...(options.oidcIssuer ? [new URL(options.oidcIssuer).origin] : [])].join(' ');
  const policy = [
    "default-src 'self'",
    `connect-src ${connect}`,
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
  fastify.get('/dashboard', (_request, reply) => reply.redirect('/dashboard/', 302));
  fastify.get('/dashboard/*', (request, reply) => {
    const name = (request.params as { '*': string })['*'] || 'index.html';
    const file = files.get(name);
    void reply.header('x-content-type-options', 'nosniff');
    if (!file) {
      if (!files.has('index.html'))
        return reply.code(503).type('text/plain; charset=utf-8').send('The dashboard is not built: run npm run build');
      return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    }
    void reply.header('content-security-policy', policy);
    void reply.header('referrer-policy', 'no-referrer');
    void reply.header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    return reply.type(file.type).send(file.body);
  });
};
