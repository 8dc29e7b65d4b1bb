/**
 * `GET /openapi.json` (OpenAPI 3.1) and `GET /docs`, both without a token, generated from the
 * router's own route table: every route the server answers is in the document, with its
 * path parameters, its query parameters and the JSON schema of the body it validates with
 * (the same zod schema, `RouteDoc.body`). Nothing is listed by hand.
 */
import { z } from 'zod';
import { VERSION } from '../base/version';
import type { Route } from './router';

const pathOf = (route: Route) => route.path.replace(/\/:([^/]+)/g, '/{$1}').replace(/\/\*([^/]+)$/, '/{$1}');
const paramsOf = (route: Route) => [...route.path.matchAll(/\/[:*]([^/]+)/g)].map((m) => m[1]);
const operationId = (route: Route) => `${route.method.toLowerCase()}${pathOf(route).replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`;

/** A zod schema as JSON Schema (2020-12, which OpenAPI 3.1 uses), its input side; what JSON Schema cannot say is left open. */
const jsonSchema = (schema: z.ZodType) => {
  const { $schema: _draft, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

export function openApiDocument(routes: readonly Route[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const doc = route.doc ?? {};
    const parameters = [
      ...paramsOf(route).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string', ...(route.params?.[name] ? { pattern: route.params[name].source } : {}) } })),
      ...(doc.query ?? []).map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } })),
    ];
    const status = String(doc.status ?? 200);
    (paths[pathOf(route)] ??= {})[route.method.toLowerCase()] = {
      operationId: operationId(route),
      summary: doc.summary ?? `${route.method} ${pathOf(route)}`,
      ...(parameters.length ? { parameters } : {}),
      ...(doc.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(doc.body) } } } }
        : doc.form
          ? { requestBody: { content: { 'multipart/form-data': { schema: { type: 'object', properties: Object.fromEntries(doc.form.map((f) => [f, { type: 'string' }])) } } } } }
          : {}),
      responses: {
        [status]: { description: 'Success (JSON, unless the route says otherwise)' },
        default: { description: 'An error: {error: {code, message}}', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
      ...(route.public ? { security: [] } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Jetty Desktop local API', version: VERSION, description: 'The Jetty API on 127.0.0.1 (jetty serve, the desktop app): the cloud’s /api/v1 routes, the model gateway and MCP.' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The local API token (<data-dir>/api-token, or JETTY_API_TOKEN)' } },
      schemas: { Error: { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } }, required: ['error'] } },
    },
    security: [{ bearer: [] }],
    paths,
  };
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The two routes, over `table()` (the router's whole table, these two included). */
export function openApiRoutes(table: () => readonly Route[]): Route[] {
  return [
    { method: 'GET', path: '/openapi.json', public: true, doc: { summary: 'This document (OpenAPI 3.1), generated from the route table' }, handle: (ctx) => ctx.json(200, openApiDocument(table())) },
    {
      method: 'GET',
      path: '/docs',
      public: true,
      doc: { summary: 'The routes as a page (text/html)' },
      handle: ({ res }) => {
        const doc = openApiDocument(table());
        const rows = Object.entries(doc.paths).flatMap(([p, ops]) =>
          Object.entries(ops).map(([m, op]) => `<tr><td><code>${m.toUpperCase()}</code></td><td><code>${escape(p)}</code></td><td>${escape(String((op as { summary: string }).summary))}</td></tr>`),
        );
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><meta charset="utf-8"><title>Jetty Desktop API</title><h1>Jetty Desktop local API ${escape(VERSION)}</h1><p>The machine-readable document: <a href="/openapi.json">/openapi.json</a>.</p><table>${rows.join('')}</table>`);
      },
    },
  ];
}
