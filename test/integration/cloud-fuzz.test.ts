import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stallSampler } from '../helpers/loop-stalls.mjs';
import { memoryLine, settledMemory } from '../helpers/memory';
import { createCloudService, type CloudService } from '../../electron/engine/cloud/cloud-service';
import { openSecretVault } from '../../electron/engine/secrets/vault';
import { openStore, type Store } from '../../electron/engine/store';
import { REPO } from '../helpers/cli';
import { sha256 } from '../helpers/fake-remote';
import { seededTrajectory } from '../helpers/seed-remote';
import { startHostileServer, streamHuge, type HostileServer } from '../helpers/hostile-http';

// A remote Jetty that lies: every answer to every cloud call (pull, deploy, remote run,
// labels, the outbox) is drawn from random, huge, slow, malformed and lying ones. The
// client must stay up, never hold the event loop, keep its memory, write only inside its
// data folder, and fail only with clear errors.
const RUNS = 200;
const TIME_LIMIT_MS = 40_000;
const MAX_STALL_MS = 200;
/** How far what the client holds after a full collection (heap in use and external memory) may stay above the warmed-up baseline: what it would leak. */
const HELD_SLACK_BYTES = 48 * 1024 * 1024;
/** The most resident memory the process may reach at its peak (answers are bounded at a few MiB each; the C allocator keeps freed pages, so the resident set after the run is not compared). */
const PEAK_RESIDENT_BYTES = 1024 * 1024 * 1024;
const TOKEN = 'mlc_fuzz_remote_token_0123456789';
/** Small bounds so that every kind of misbehaviour is met many times within the time limit. */
const LIMITS = { idleMs: 400, requestMs: 1500, answerBytes: 2 * 1024 * 1024, errorBodyBytes: 16 * 1024, artifactBytes: 1024 * 1024, eventsPerPage: 50, maxTrajectories: 400, sseFrameBytes: 64 * 1024 };
const PULL_DEADLINE_MS = 2500;
/** The longest one operation may take: the pull's deadline, or a few requests at their bound. */
const OP_BOUND_MS = 12_000;

type Recipe =
  | { kind: 'plausible'; status: number; seed: number }
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'huge'; status: number; mb: number; declared: boolean }
  | { kind: 'slow'; ticks: number; tickMs: number; ends: boolean }
  | { kind: 'malformed'; variant: 'bad-json' | 'short-length' | 'long-length' | 'destroy' | 'html' | 'empty' };

const recipe: fc.Arbitrary<Recipe> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('plausible' as const), status: fc.constantFrom(200, 200, 200, 201, 404, 409, 500), seed: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('json' as const), status: fc.constantFrom(200, 400, 401, 403, 404, 422, 429, 500, 503, 302, 204), body: fc.jsonValue({ maxDepth: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const), status: fc.constantFrom(200, 500, 422), mb: fc.integer({ min: 1, max: 24 }), declared: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('slow' as const), ticks: fc.integer({ min: 1, max: 12 }), tickMs: fc.integer({ min: 50, max: 300 }), ends: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('malformed' as const), variant: fc.constantFrom('bad-json', 'short-length', 'long-length', 'destroy', 'html', 'empty') }) },
);

const op = fc.constantFrom('pull', 'pull', 'deploy', 'run-workflow', 'run-runbook', 'label', 'flush', 'browse');

/** A small deterministic generator from a seed (the plausible answers' choices). */
const rng = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);

/** An answer shaped like what the route returns, but with lies drawn from `seed`: repeated ids, wrong ids, endless pages, bad artifacts. */
function plausible(url: URL, method: string, seed: number): { body: unknown; sse?: string[]; file?: Buffer } {
  const r = rng(seed);
  const pick = <T,>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const p = url.pathname.replace(/^\/api\/v1/, '');
  const id = () => pick(['f0000001', 'f0000002', 'f0000003', 'not-hex', '', 'f0000001']);
  const events = (from: number) =>
    Array.from({ length: Math.floor(r() * 60) }, (_, i) => ({
      seq: pick([from + i, from + i, from, -1, 0]),
      time: '2026-01-01T00:00:00.000Z',
      level: pick(['info', 'warn', 'bogus']),
      type: pick(['log', 'log', 'message', 'nonsense']),
      step: null,
      payload: pick([{ message: 'é✓ hello' }, {}, null, { role: 'assistant', content: 'x' }]),
    }));
  if (p.startsWith('/db/trajectories/')) {
    return { body: { trajectories: Array.from({ length: Math.floor(r() * 8) }, () => ({ trajectory_id: id(), created_at: pick(['2026-01-01T00:00:00Z', 'never']), status: pick(['completed', 'running']) })), total: pick([3, 1e9, -1]), has_more: r() < 0.7 } };
  }
  if (p.startsWith('/db/trajectory/')) {
    const asked = p.split('/').pop()!;
    const after = Number(url.searchParams.get('events_after') ?? 0);
    const artifacts = r() < 0.4 ? [{ path: pick(['ok.txt', 'a', 'a/b', '../up', '/abs', 'A', 'dir/x.txt']), size: pick([5, 0, 3_000_000, -1]), sha256: pick([sha256('hello'), 'zz', '']), media_type: 'text/plain' }] : [];
    return {
      body: {
        trajectory_id: r() < 0.9 ? asked : id(),
        collection: 'fz',
        task: 't',
        status: pick(['completed', 'running', 'failed', 'weird']),
        created_at: '2026-01-01T00:00:00Z',
        steps: r() < 0.5 ? { s: { status: 'completed', inputs: {}, outputs: {} } } : pick([{}, [], 'x']),
        labels: r() < 0.5 ? [{ key: 'k', value: 'v', author: 'a' }] : pick([[], [{}], 'x']),
        artifacts: r() < 0.8 ? artifacts.concat(r() < 0.3 ? artifacts : []) : 'x',
        events: events(after + 1),
        events_has_more: r() < 0.3,
      },
    };
  }
  if (p.startsWith('/file/')) return { body: null, file: Buffer.from(pick(['hello', 'HELLO', 'hello world', ''])) };
  if (url.pathname === '/v1/chat/completions') {
    return { body: null, sse: [pick([`data: {"trajectory_id":"${id()}"}`, 'data: {broken', ': comment', 'data: [DONE]', 'data: "just a string"']), `data: {"choices":[{"delta":{"content":"é"}}]}`] };
  }
  if (p.startsWith('/run/')) return { body: pick([{ trajectory_id: id() }, {}, { workflow_id: id() }]) };
  if (p.startsWith('/files/upload')) return { body: pick([{ path: 'uploads/x' }, {}, { file_path: 7 }]) };
  if (p.startsWith('/trial/')) return { body: pick([{ active: true, runs_used: 1, runs_limit: 3, runs_remaining: 2 }, { active: false }, []]) };
  if (p.startsWith('/collections/') && method === 'GET') return { body: pick([[], { name: 'fz', environment_variables: {} }, { environment_variables: ['A'] }]) };
  if (p.startsWith('/tasks/') && method === 'GET') return { body: pick([[], { name: 't' }, null]) };
  return { body: pick([{}, [], { ok: true }]) };
}

async function answer(recipe: Recipe, req: IncomingMessage, res: ServerResponse, count: (n: number) => void): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  switch (recipe.kind) {
    case 'plausible': {
      const { body, sse, file } = plausible(url, req.method ?? 'GET', recipe.seed);
      if (sse) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const frame of sse) res.write(`${frame}\n\n`);
        return void res.end();
      }
      if (file) {
        res.writeHead(recipe.status, { 'content-type': 'application/octet-stream' });
        return void res.end(file);
      }
      const text = JSON.stringify(body);
      res.writeHead(recipe.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      return void res.end(text);
    }
    case 'json': {
      const text = JSON.stringify(recipe.body) ?? '';
      res.writeHead(recipe.status, { 'content-type': 'application/json', 'retry-after': '0' });
      return void res.end(text);
    }
    case 'huge': {
      const bytes = recipe.mb * 1024 * 1024;
      res.writeHead(recipe.status, { 'content-type': 'application/json', ...(recipe.declared ? { 'content-length': String(bytes) } : {}) });
      return streamHuge(res, bytes, count, '[');
    }
    case 'slow': {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < recipe.ticks && !res.destroyed; i++) {
        res.write(i === 0 ? '{"trajectories":[' : ' ');
        await new Promise((resolve) => setTimeout(resolve, recipe.tickMs));
      }
      return void (recipe.ends ? res.end(']}') : res.destroy());
    }
    case 'malformed': {
      const v = recipe.variant;
      if (v === 'destroy') return void req.socket.destroy();
      if (v === 'short-length') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"trajectories":');
        return void res.destroy();
      }
      if (v === 'long-length') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5' });
        return void res.end('{"a":1}');
      }
      res.writeHead(200, { 'content-type': v === 'html' ? 'text/html' : 'application/json' });
      return void res.end(v === 'bad-json' ? '{"trajectories": [1, 2' : v === 'html' ? '<html>oops</html>' : '');
    }
  }
}

/** Every file under `dir`, relative. */
async function filesUnder(dir: string): Promise<string[]> {
  const all = await readdir(dir, { recursive: true, withFileTypes: true });
  return all.filter((d) => d.isFile()).map((d) => path.relative(dir, path.join(d.parentPath ?? (d as unknown as { path: string }).path, d.name)));
}

describe('the cloud client against a remote that answers randomly, hugely, slowly, wrongly', () => {
  let tmp: string;
  let dataDir: string;
  let server: HostileServer;
  let store: Store;
  let cloud: CloudService;
  let recipes: Recipe[] = [];
  let next = 0;
  let labelled = '';

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'jetty-cloud-fuzz-'));
    dataDir = path.join(tmp, 'data');
    await mkdir(dataDir);
    await cp(path.join(REPO, 'test/fixtures/cloud/echo.workflow.json'), path.join(tmp, 'inputs/echo.workflow.json'));
    await cp(path.join(REPO, 'resources/examples/demo/hello-report/RUNBOOK.md'), path.join(tmp, 'inputs/demo/hello-report/RUNBOOK.md'));
    server = await startHostileServer((req, res, count) => {
      // Sign-in checks and the first list answer as a real remote would; then the recipes, in turn.
      if (recipes.length === 0) return void res.end('[]');
      return answer(recipes[next++ % recipes.length], req, res, count);
    });
    store = openStore(path.join(dataDir, 'jetty.db'));
    cloud = createCloudService({
      store,
      vault: openSecretVault(dataDir),
      dataDir,
      env: { HOME: path.join(tmp, 'home'), JETTY_API_URL: server.url },
      http: { retries: 1, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 200 },
      limits: LIMITS,
      outboxRetryMs: 600_000,
      follow: { intervalMs: 50, timeoutMs: 1500, onStreamProblem: () => undefined },
    });
    await cloud.signIn(TOKEN);
    // A pulled trajectory to label.
    [labelled] = store.importPulled([
      {
        doc: { ...seededTrajectory('e0000001', 0, 'fz', 't') },
        origin: { base_url: server.url, collection: 'fz', task: 't', remote_id: 'e0000001', remote_status: 'completed', last_event_seq: 0 },
      },
    ]);
  });
  afterAll(async () => {
    await cloud?.close();
    store?.close();
    await server?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  /** Runs one operation; resolves with the error it failed with, if any. */
  async function run(name: string): Promise<unknown> {
    const file = (p: string) => path.join(tmp, 'inputs', p);
    try {
      switch (name) {
        case 'pull': {
          const result = await cloud.pull({ collection: 'fz', task: 't', deadlineMs: PULL_DEADLINE_MS });
          for (const f of result.failed) expect(f.error.length, f.error).toBeGreaterThan(10);
          return null;
        }
        case 'deploy':
          return void (await cloud.deploy({ file: file('echo.workflow.json'), collection: 'fz', task: 't' }));
        case 'run-workflow':
          return void (await cloud.run({ file: file('echo.workflow.json'), collection: 'fz', task: 't', params: { text: 'x' } }));
        case 'run-runbook':
          return void (await cloud.run({ file: file('demo/hello-report/RUNBOOK.md'), collection: 'fz', task: 't', agent: 'builtin' }));
        case 'label':
          return void (await cloud.pushLabel(labelled, { key: 'k', value: 'v', author: 'fuzz' }));
        case 'flush':
          return void (await cloud.flush());
        default:
          return void (await cloud.trajectories('fz', 't', 1, 20));
      }
    } catch (error) {
      return error;
    } finally {
      for (const item of cloud.outbox()) cloud.drop(item.seq);
    }
  }

  /** A failure must be one the UI and CLI can show: a known kind, a message saying what happened, no host path, no token. */
  function checkFailure(name: string, error: unknown) {
    if (!error) return;
    expect(error, `${name}: ${String(error)}`).toBeInstanceOf(Error);
    const e = error as Error;
    expect(['RemoteError', 'StoreError', 'SecretAuditError', 'MissingSecretsError', 'RemotePlanError'], `${name}: ${e.name}: ${e.message}\n${e.stack}`).toContain(e.name);
    expect(e.message.length, e.message).toBeGreaterThan(10);
    expect(e.message.length, e.message).toBeLessThan(5000);
    expect(e.message, e.message).not.toContain(tmp);
    expect(e.message, e.message).not.toContain(TOKEN);
  }

  it(`survives ${RUNS} runs of random operations against random answers (≤ ${TIME_LIMIT_MS / 1000} s)`, async () => {
    // Warm up, then take the memory baseline.
    recipes = [{ kind: 'plausible', status: 200, seed: 1 }];
    for (const name of ['pull', 'deploy', 'run-workflow', 'label', 'browse']) await run(name);
    const baseline = await settledMemory();
    const loop = stallSampler({ intervalMs: 10 });
    let slowest = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(recipe, { minLength: 1, maxLength: 12 }), op, async (drawn, name) => {
        recipes = drawn;
        next = 0;
        const started = Date.now();
        const failure = await run(name);
        const took = Date.now() - started;
        slowest = Math.max(slowest, took);
        expect(took, `${name} took ${took} ms`).toBeLessThan(OP_BOUND_MS);
        checkFailure(name, failure);
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 1e9) },
    );
    const stall = loop.read();
    loop.stop();
    recipes = [];
    const after = await settledMemory();
    const memory = memoryLine(baseline, after);
    console.log(`cloud fuzz: slowest operation ${slowest} ms, longest event-loop stall ${stall.busy.toFixed(0)} ms on the CPU (${stall.late.toFixed(0)} ms wall clock on this machine), ${memory}`);
    expect(stall.busy).toBeLessThan(MAX_STALL_MS);
    expect(after.held, memory).toBeLessThan(baseline.held + HELD_SLACK_BYTES);
    expect(after.peakRss, memory).toBeLessThan(PEAK_RESIDENT_BYTES);
    // Nothing written outside the data folder (and the token file); no staging left behind.
    const written = await filesUnder(tmp);
    const outside = written.filter((f) => !f.startsWith(`data${path.sep}`) && !f.startsWith(`inputs${path.sep}`) && f !== path.join('home', '.config', 'jetty', 'token'));
    expect(outside).toEqual([]);
    expect(await readdir(path.join(dataDir, 'pull-staging')).catch(() => [])).toEqual([]);
    // The store is whole.
    expect(store.getTrajectory(labelled)?.id).toBe(labelled);
  }, 120_000);
});
