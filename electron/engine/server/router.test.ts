import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter, type Route } from './router';

/** A route that answers its own name and the params it captured. */
const named = (method: Route['method'], path: string): Route => ({ method, path, handle: ({ json, params }) => json(200, { route: `${method} ${path}`, params }) });

describe('the router', () => {
  // Listed least specific first: the order must not decide.
  const routes = [
    named('POST', '/api/v1/evaluations/:collection/:task'),
    { ...named('POST', '/api/v1/evaluations/:id/cancel'), params: { id: /^[0-9a-f]{8}$/ } },
    named('GET', '/api/v1/files/*path'),
    named('GET', '/api/v1/files/:id/meta'),
    named('GET', '/api/v1/files/latest/meta'),
  ];
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    const route = createRouter(routes, 1024 * 1024);
    server = http.createServer((req, res) => void route(req, res, new URL(req.url ?? '/', 'http://127.0.0.1')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const hit = async (method: string, path: string) => {
    const res = await fetch(`${base}${path}`, { method });
    return { status: res.status, body: (await res.json()) as { route?: string; params?: Record<string, string> } };
  };

  it('takes the most specific route that fits, whatever the order they were given in', async () => {
    expect((await hit('POST', '/api/v1/evaluations/0a1b2c3d/cancel')).body).toEqual({ route: 'POST /api/v1/evaluations/:id/cancel', params: { id: '0a1b2c3d' } });
    expect((await hit('POST', '/api/v1/evaluations/demo/hello')).body).toEqual({ route: 'POST /api/v1/evaluations/:collection/:task', params: { collection: 'demo', task: 'hello' } });
    expect((await hit('GET', '/api/v1/files/latest/meta')).body.route).toBe('GET /api/v1/files/latest/meta');
    expect((await hit('GET', '/api/v1/files/f7/meta')).body).toEqual({ route: 'GET /api/v1/files/:id/meta', params: { id: 'f7' } });
    expect((await hit('GET', '/api/v1/files/a/b/c')).body).toEqual({ route: 'GET /api/v1/files/*path', params: { path: 'a/b/c' } });
  });

  it('takes a route only when its params look as it says: otherwise the next route that fits', async () => {
    expect((await hit('POST', '/api/v1/evaluations/demo/cancel')).body).toEqual({ route: 'POST /api/v1/evaluations/:collection/:task', params: { collection: 'demo', task: 'cancel' } });
    expect((await hit('POST', '/api/v1/evaluations/0a1b2c3d/cancel')).body.route).toBe('POST /api/v1/evaluations/:id/cancel');
    // A decoded value is what is checked.
    expect((await hit('POST', '/api/v1/evaluations/%30a1b2c3d/cancel')).body.params).toEqual({ id: '0a1b2c3d' });
  });

  it('answers 405 with the methods a path takes, 404 for no route', async () => {
    const wrong = await fetch(`${base}/api/v1/evaluations/0a1b2c3d/cancel`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')?.split(', ').sort()).toEqual(['POST']);
    expect((await hit('GET', '/api/v2/nothing')).status).toBe(404);
  });
});
