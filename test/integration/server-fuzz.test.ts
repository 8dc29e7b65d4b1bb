import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream';
import { multipartBody, type FormPart } from '../helpers/multipart-body';
import { jsonErrorOf, send, type HttpAnswer, type RawRequest } from '../helpers/raw-http';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

// Runs the built CLI (`npm run build` first): a crash shows as the `jetty serve` child exiting.
const FOLDER = 'test/fixtures/workspace';
const RUNS = 2000;
const TIME_LIMIT_MS = 60_000;
/** How far the child's resident memory may stay above its warmed-up baseline. */
const MEMORY_SLACK_BYTES = 64 * 1024 * 1024;

/** Every route of the local server, with real names of the fixture folder in its parameters. */
const ROUTES = [
  'GET /api/health',
  'GET /api/v1/health',
  'GET /api/v1/step-templates',
  'GET /api/v1/collections',
  'POST /api/v1/collections',
  'GET /api/v1/collections/:c',
  'GET /api/v1/collections/:c/environment',
  'PATCH /api/v1/collections/:c/environment',
  'GET /api/v1/tasks/:c',
  'GET /api/v1/tasks/:c/search',
  'GET /api/v1/tasks/:c/:t',
  'POST /api/v1/tasks/:c',
  'PUT /api/v1/tasks/:c/:t',
  'DELETE /api/v1/tasks/:c/:t',
  'GET /api/v1/db/trajectories/:c/:t',
  'GET /api/v1/db/trajectory/:c/:t/:id',
  'GET /api/v1/db/stats/:c/:t',
  'POST /api/v1/trajectory/:c/:t/statuses',
  'POST /api/v1/trajectory/:c/:t/:id/labels',
  'POST /api/v1/run/:c/:t',
  'POST /api/v1/run-sync/:c/:t',
  'GET /api/v1/workflows-logs/:id',
  'POST /api/v1/files/upload',
  'GET /api/v1/file/*path',
  'POST /v1/chat/completions',
];
const BOUNDARY = 'b0undary';
/** Routes that would start a sandbox run given a well-formed body: they only ever get broken ones here. */
const STARTS_RUNS = /\/run(-sync)?\//;

const segment = fc.oneof(
  fc.constantFrom('ops', 'reports', 'rotate-logs', 'weekly-metrics', 'deadbeef', '..', '.', '%2e%2e', '%00', '%E0%A4%A', 'caf%C3%A9', 'a%2Fb'),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);
const anyMethod = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND');
/** A route's path with generated parameters (and sometimes extra segments), and mostly its own method. */
const routed = fc
  .tuple(fc.constantFrom(...ROUTES), fc.array(segment, { minLength: 4, maxLength: 4 }), fc.array(segment, { maxLength: 2 }), fc.option(anyMethod, { nil: undefined, freq: 4 }))
  .map(([route, params, extra, otherMethod]) => {
    const [method, pattern] = route.split(' ');
    let i = 0;
    const filled = pattern.replace(/:\w+|\*\w+/g, () => params[i++]);
    return { method: otherMethod ?? method, path: extra.length > 0 && otherMethod ? [filled, ...extra].join('/') : filled };
  });
const unrouted = fc
  .tuple(anyMethod, fc.constantFrom('api', 'v1', 'api/v1'), fc.array(segment, { maxLength: 6 }))
  .map(([method, root, s]) => ({ method, path: `/${root}/${s.join('/')}` }));
const target = fc.oneof({ weight: 6, arbitrary: routed }, { weight: 1, arbitrary: unrouted });
const query = fc.option(fc.dictionary(fc.constantFrom('limit', 'page', 'q', 'token', 'x'), fc.oneof(fc.integer().map(String), fc.string({ maxLength: 8 }))), { nil: undefined });
const headerName = fc.constantFrom('content-type', 'origin', 'x-jetty', 'accept', 'content-encoding', 'transfer-encoding', 'expect');
const headerValue = fc.oneof(
  fc.constantFrom('application/json', 'multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; boundary=b', 'text/plain', 'gzip', 'http://evil.example', '100-continue', 'teapot'),
  fc.stringMatching(/^[\x20-\x7e]{0,20}$/),
);
const json = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.constantFrom('{', '[]', 'null', '{"name": "x"}', '{"key":"k","value":"v","author":"a"}', '{"ffffffff":"archived","0":"failed"}', '{"model":"nope/x","messages":[]}'),
  fc.integer({ min: 129, max: 20_000 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
);
const formPart: fc.Arbitrary<FormPart> = fc.record(
  {
    name: fc.constantFrom('file', 'files', 'collection', 'init_params', 'secret_params', 'x'),
    filename: fc.option(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('../../etc/passwd', 'café.txt', '.', 'a\\b.txt')), { nil: undefined }),
    data: fc.oneof(fc.constantFrom('ops', '{}', '{"a":1}', '['), fc.uint8Array({ maxLength: 4096 }).map(Buffer.from)),
  },
  { requiredKeys: ['name', 'data'] },
);
const multipart = fc.record({
  parts: fc.array(formPart, { maxLength: 5 }),
  close: fc.boolean(),
  boundaryInHeader: fc.oneof({ weight: 6, arbitrary: fc.constant(BOUNDARY) }, { weight: 1, arbitrary: fc.constantFrom('other', '', `"${BOUNDARY}"`) }),
});
const body = fc.oneof(
  fc.constant<null>(null),
  { weight: 3, arbitrary: json.map((text) => ({ type: 'application/json', bytes: Buffer.from(text) })) },
  { weight: 3, arbitrary: multipart.map(({ parts, close, boundaryInHeader }) => ({
    type: `multipart/form-data; boundary=${boundaryInHeader}`,
    bytes: multipartBody(BOUNDARY, parts, { close }),
  })) },
  fc.uint8Array({ maxLength: 2048 }).map((bytes) => ({ type: 'application/octet-stream', bytes: Buffer.from(bytes) })),
);
const request = fc.record({
  target,
  query,
  token: fc.constantFrom('right', 'right', 'right', 'right', 'wrong', 'none'),
  headers: fc.option(fc.dictionary(headerName, headerValue, { maxKeys: 3 }), { nil: undefined, freq: 2 }),
  body,
  /** Cut the body after this fraction, closing the connection (an aborted upload). */
  cutAt: fc.option(fc.double({ min: 0, max: 0.99, noNaN: true }), { nil: undefined, freq: 4 }),
});
type FuzzRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

let upstream: FakeUpstream;
let served: ServedJetty;

beforeAll(async () => {
  upstream = await startFakeUpstream({ quiet: true });
  const env = Object.fromEntries(['OPENAI', 'ANTHROPIC', 'OPENROUTER', 'GEMINI'].map((p) => [`${p}_BASE_URL`, upstream.baseUrl]));
  served = await startJettyServe(FOLDER, { env });
});

afterAll(async () => {
  await served?.stop();
  await upstream?.close();
});

const residentBytes = () => Number(readFileSync(`/proc/${served.child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)![1]) * 1024;

/** A body that is never a complete form: cut before its closing boundary, if it has one. */
const withoutClosingBoundary = (bytes: Buffer) => {
  const closing = bytes.lastIndexOf(`--${BOUNDARY}--`);
  return closing < 0 ? bytes : bytes.subarray(0, closing);
};

/** Turns a generated request into a raw one; run routes only ever get broken bodies. */
function toRaw(r: FuzzRequest): RawRequest {
  const { method, path: pathname } = r.target;
  const headers: Record<string, string> = { ...r.headers };
  if (r.token !== 'none') headers.authorization = `Bearer ${r.token === 'right' ? served.token : 'wrong-token'}`;
  let bytes = r.body?.bytes;
  if (r.body) headers['content-type'] ??= r.body.type;
  if (bytes && STARTS_RUNS.test(pathname)) bytes = withoutClosingBoundary(bytes);
  delete headers['transfer-encoding'];
  const search = r.query ? `?${new URLSearchParams(r.query)}` : '';
  return {
    method,
    path: pathname + search,
    headers,
    body: bytes,
    abortAfterBytes: bytes && r.cutAt !== undefined ? Math.floor(bytes.length * r.cutAt) : undefined,
  };
}

/** Whether the server takes a path as an API path (after URL normalisation: `/api/%2e%2e` is `/`, a static path). */
const isApiPath = (raw: string) => /^\/(api|v1)(\/|$)/.test(new URL(raw, 'http://127.0.0.1').pathname);

/** What every answer must be: a success, or (on API paths) a well-formed JSON error; never a 500 (nothing unexpected may throw). */
function checkAnswer(raw: RawRequest, answer: HttpAnswer | null) {
  if (answer === null) return;
  const where = `${raw.method} ${raw.path} → ${answer.status} ${answer.text.slice(0, 300)}`;
  expect(answer.status, where).toBeLessThan(500);
  if (answer.status < 400 || raw.method === 'HEAD' || !isApiPath(raw.path)) return;
  expect(jsonErrorOf(answer), where).not.toBeNull();
}

describe('jetty serve under random HTTP input', () => {
  it(`stays up, answers every request with success or a JSON 4xx, leaks no memory and leaves no temp files (${RUNS} requests, ≤ ${TIME_LIMIT_MS / 1000} s)`, async () => {
    // Warm up (code paths compiled, caches filled) before the baseline is taken.
    for (const sample of fc.sample(request, { numRuns: 50, seed: 1 })) {
      const raw = toRaw(sample);
      await send(served.port, raw).catch(() => null);
    }
    const baseline = residentBytes();
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const raw = toRaw(r);
        let answer: HttpAnswer | null;
        try {
          answer = await send(served.port, raw);
        } catch (error) {
          // The server may close a connection it refuses (e.g. a body past a limit); it must stay up.
          answer = null;
          if (!/ECONNRESET|EPIPE|socket hang up/.test(String(error))) failures.push(`${raw.method} ${raw.path}: ${String(error)}`);
        }
        expect(served.child.exitCode, served.output()).toBeNull();
        checkAnswer(raw, answer);
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
    );
    expect(failures).toEqual([]);
    const health = await send(served.port, { path: '/api/health', headers: { authorization: `Bearer ${served.token}` } });
    expect(health?.status, served.output()).toBe(200);
    await expect.poll(() => readdir(path.join(served.dataDir, 'files', '.incoming')).catch(() => []), { timeout: 5_000, interval: 50 }).toEqual([]);
    expect(await readdir(path.join(served.dataDir, 'files'), { recursive: true }).then((all) => all.filter((p) => p.includes('run-inputs'))).catch(() => [])).toEqual([]);
    expect(residentBytes()).toBeLessThan(baseline + MEMORY_SLACK_BYTES);
  });
});
