import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeModels } from './models';
import { MAX_JSON_ANSWER_BYTES } from './provider-json';
import { createProviderRegistry } from './providers';

/** A provider on loopback whose `/v1/models` answers what `answers[path]` says. */
const answers: Partial<Record<string, () => string>> = {
  '/ok/v1/models': () => JSON.stringify({ object: 'list', data: [{ id: 'm1' }, { id: 'm2' }] }),
  // A valid list larger than the bound (and than any real provider's).
  '/huge/v1/models': () => JSON.stringify({ object: 'list', data: Array.from({ length: Math.ceil(MAX_JSON_ANSWER_BYTES / 12) + 1 }, (_, i) => ({ id: `m${i}` })) }),
  '/html/v1/models': () => '<html>a login page</html>',
};

let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const answer = answers[req.url ?? ''];
    res.writeHead(answer ? 200 : 404, { 'content-type': 'application/json' });
    res.end(answer ? answer() : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const providerAt = (base: string) => createProviderRegistry({ env: { OPENAI_BASE_URL: `${origin}${base}/v1`, OPENAI_API_KEY: 'sk-test' } }).resolve('openai/x').provider;

describe("a provider's model list", () => {
  it('is read as the provider answers it', async () => {
    expect(await probeModels(providerAt('/ok'))).toEqual({ ok: true, ids: ['m1', 'm2'] });
  });

  it('is refused past the size bound, saying so, instead of read whole', async () => {
    const probe = await probeModels(providerAt('/huge'));
    expect(probe).toEqual({ ok: false, error: `${origin}/huge/v1/models: the answer of /huge/v1/models is larger than ${MAX_JSON_ANSWER_BYTES} bytes` });
  });

  it('that is not JSON, or an HTTP error, is a reason, not a crash', async () => {
    expect(await probeModels(providerAt('/html'))).toEqual({ ok: false, error: `${origin}/html/v1/models: the answer of /html/v1/models is not JSON` });
    expect(await probeModels(providerAt('/missing'))).toEqual({ ok: false, error: `${origin}/missing/v1/models answered HTTP 404` });
  });
});
