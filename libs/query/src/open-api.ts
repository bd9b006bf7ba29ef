import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

const ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png'];
const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.png': 'image/png',
};

const page = (jsonUrl: string, assets: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Kulturskole query API</title>
<link rel="stylesheet" href="${assets}/swagger-ui.css"><link rel="icon" href="${assets}/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="${assets}/swagger-ui-bundle.js"></script>
<script src="${assets}/swagger-ui-standalone-preset.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '${jsonUrl}', dom_id: '#swagger-ui', persistAuthorization: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });</script>
</body></html>`;

/**
 * OpenAPI for an app: the document at `/docs-json` and Swagger UI at `/docs`. @nestjs/swagger serves the UI's assets
 * through @fastify/static on Fastify, which this project does not depend on, so the few files the page needs are
 * served from swagger-ui-dist here. Both routes are open: they describe the API, and every call still needs a token.
 */
export const setupOpenApi = async (
  app: NestFastifyApplication,
  info: { title: string; description: string; version: string },
): Promise<void> => {
  const config = new DocumentBuilder()
    .setTitle(info.title)
    .setDescription(info.description)
    .setVersion(info.version)
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { ui: false, raw: ['json'] });
  const dist = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const files = new Map<string, Buffer>();
  for (const asset of ASSETS) files.set(asset, await readFile(path.join(dist, asset)));
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/docs', (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(page('/docs-json', '/docs/assets')),
  );
  fastify.get<{ Params: { file: string } }>('/docs/assets/:file', (request, reply) => {
    const body = files.get(request.params.file);
    if (!body) return reply.status(404).send();
    return reply
      .type(TYPES[path.extname(request.params.file)] ?? 'application/octet-stream')
      .header('cache-control', 'public, max-age=86400')
      .send(body);
  });
};
