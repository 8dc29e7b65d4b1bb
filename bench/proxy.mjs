// Added latency of the passthrough proxy: Jetty's `POST /v1/chat/completions` as `jetty serve`
// runs it (token and Host checks, router, recording into SQLite from a worker thread, change
// notifications) and @portkey-ai/gateway, each
// against the same local fake upstream, compared with calling that upstream directly. Two
// references measured in the same run explain the figures on a given machine:
//   node-floor  a 30-line Node proxy (http server + the same undici pool and handler API,
//               no checks, no recording): what one extra Node HTTP hop costs here, the
//               floor for any Node proxy;
//   jetty-nostore  Jetty with calls captured but never stored: the recording's share.
// Non-streaming total time and streaming time to first token, p50 and p99, at concurrency 1
// and 64; and an embeddings call's total time (`POST /v1/embeddings`, 1,536 floats back), at 1
// and 64 (`jetty-baseline` is left out of it when the baseline has no embeddings route).
// Loopback only; every load is bounded in count and time.
//
//   node --import tsx bench/proxy.mjs [--rounds 7] [--requests 4000] [--only jetty,node-floor]
//                                     [--baseline <another checkout>]
//
// `--baseline` adds `jetty-baseline`: the jetty target as built by another checkout (a git
// worktree of an earlier commit, with its own node_modules), measured in the same rounds —
// the reliable way to compare two versions on a machine whose load drifts between runs.
//
// Each server runs in its own process; this process only drives load. Rounds interleave the
// targets (rotating their order); figures are medians over rounds of (target − direct)
// measured in the same round. CPU per request of each server process comes from /proc.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Agent, Pool } from 'undici';
import { portOf } from './child-port.mjs';

const HERE = fileURLToPath(import.meta.url);
const TOKEN = 'bench-token';
const MODEL = 'gpt-4o-mini';
const EMBEDDING_MODEL = 'text-embedding-3-small';
const { values: args } = parseArgs({
  options: {
    role: { type: 'string', default: 'driver' },
    upstream: { type: 'string' },
    port: { type: 'string' },
    rounds: { type: 'string', default: '7' },
    // At c=1 a load of 4,000 lasts ~2 s, several of Jetty's 500 ms recording flushes: what
    // is measured is the steady state, recording included, not a burst it absorbs later.
    requests: { type: 'string', default: '4000' },
    only: { type: 'string' },
    baseline: { type: 'string' },
  },
});

const listening = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));

/**
 * The minimal Node proxy: read the body, re-target the model, forward it over a keep-alive
 * pool with undici's handler API (what Jetty's passthrough uses), relay the answer.
 */
function nodeFloor(upstream) {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
  return createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const received = [];
      dispatcher.dispatch(
        {
          origin: upstream,
          path: req.url,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
          body: JSON.stringify({ ...body, model: req.url === '/v1/embeddings' ? EMBEDDING_MODEL : MODEL }),
        },
        {
          onRequestStart: () => {},
          onResponseStart: (_c, status) => body.stream && res.writeHead(status, { 'content-type': 'text/event-stream' }),
          onResponseData: (_c, chunk) => (body.stream ? res.write(chunk) : received.push(chunk)),
          onResponseEnd: () => {
            if (body.stream) return res.end();
            const bytes = Buffer.concat(received);
            res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length });
            res.end(bytes);
          },
          onResponseError: () => res.destroy(),
        },
      );
    });
  });
}

/** Jetty's local server with the passthrough; `store: false` summarises calls but keeps them in memory. */
/**
 * `jetty`: what `jetty serve` runs — the whole engine (store, recording thread, change
 * notifications) behind the local server with all its routes, in a fresh data folder.
 * `jetty-nostore`: the same server with only the chat-completions route and a passthrough
 * whose calls are captured but never stored.
 */
async function jettyServer(upstream, { engine: whole }) {
  const { createEngine } = await import('../electron/engine/api.ts');
  const { createPassthrough } = await import('../electron/engine/proxy/passthrough.ts');
  const { createProviderRegistry } = await import('../electron/engine/proxy/providers.ts');
  const { chatCompletionsRoute } = await import('../electron/engine/server/chat-completions.ts');
  const { createLocalServer } = await import('../electron/engine/server/local-server.ts');
  const env = { OPENAI_BASE_URL: `${upstream}/v1`, OPENAI_API_KEY: 'sk-bench' };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-bench-proxy-'));
  const engine = await createEngine({ dataDir: dir, env });
  const routes = whole
    ? engine.routes
    : [
        chatCompletionsRoute({
          passthrough: createPassthrough({
            providers: createProviderRegistry({ env }),
            recorder: { record: () => {} },
            newId: () => engine.services.store.freshTrajectoryId(),
          }),
        }),
      ];
  const server = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes });
  process.on('SIGTERM', async () => {
    await server.close();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
  return server.port;
}

/** Child process roles: print `PORT <n>` once listening, run until killed. */
async function serveRole() {
  if (args.role === 'upstream') {
    const { startFakeUpstream } = await import('../test/helpers/fake-upstream.ts');
    const upstream = await startFakeUpstream({ quiet: true });
    return console.log(`PORT ${new URL(upstream.baseUrl).port}`);
  }
  if (args.role === 'node-floor') return console.log(`PORT ${await listening(nodeFloor(args.upstream))}`);
  if (args.role === 'portkey') {
    // Portkey's own entry point, in a process of ours so its CPU is measured the same way.
    process.argv.push(`--port=${args.port}`, '--headless');
    await import('@portkey-ai/gateway/build/start-server.js');
    return console.log(`PORT ${args.port}`);
  }
  console.log(`PORT ${await jettyServer(args.upstream, { engine: args.role === 'jetty' })}`);
}

/** `BENCH_CPU_PROF=<dir>` writes a V8 CPU profile of every server process there (on exit). */
const PROFILE = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];

function startChild(argv) {
  const child = spawn(process.execPath, [...PROFILE, ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
  return portOf(child, argv.join(' '));
}

/** CPU time (user + system, ms) a process has used so far, or null without /proc. */
function cpuMs(pid) {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return null;
  const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms (CLK_TCK 100)
}

const body = (stream, model) =>
  JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'Say hello in five words.' }] });
const embeddingBody = (model) => JSON.stringify({ model, input: 'Say hello in five words.' });

/** One request; resolves to its latency in ms (stream: time to the first content chunk). */
async function once(target, stream, embeddings = false) {
  const start = process.hrtime.bigint();
  const { statusCode, body: res } = await target.pool.request({
    method: 'POST',
    path: embeddings ? '/v1/embeddings' : '/v1/chat/completions',
    headers: target.headers,
    body: embeddings ? embeddingBody(target.embeddingModel) : body(stream, target.model),
  });
  if (statusCode !== 200) throw new Error(`${target.name}: HTTP ${statusCode}: ${await res.text()}`);
  let first = null;
  for await (const chunk of res) {
    if (first === null && (!stream || chunk.includes('"content":"H'))) first = process.hrtime.bigint();
  }
  const end = stream ? first : process.hrtime.bigint();
  if (end === null) throw new Error(`${target.name}: no content in the stream`);
  return Number(end - start) / 1e6;
}

/** `total` requests with `concurrency` in flight, bounded to 20 s; returns latencies. */
async function load(target, stream, concurrency, total, embeddings = false) {
  const latencies = [];
  const deadline = Date.now() + 20_000;
  let next = 0;
  const worker = async () => {
    while (next < total && Date.now() < deadline) {
      next++;
      latencies.push(await once(target, stream, embeddings));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies;
}

/** The pause after each load (longer than any recording flush interval). */
const SETTLE_MS = 1000;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function drive() {
  const rounds = Number(args.rounds);
  const requests = Number(args.requests);
  const tsx = ['--import', 'tsx', HERE];
  const upstream = await startChild([...tsx, '--role', 'upstream']);
  const upstreamUrl = `http://127.0.0.1:${upstream.port}`;
  const children = [upstream.child];
  const json = { 'content-type': 'application/json' };
  const targets = [{ name: 'direct', pid: upstream.child.pid, origin: upstreamUrl, headers: { ...json, authorization: 'Bearer sk-bench' }, model: MODEL, embeddingModel: EMBEDDING_MODEL }];
  const servers = [
    { name: 'jetty', headers: { ...json, authorization: `Bearer ${TOKEN}` }, model: `openai/${MODEL}`, embeddingModel: `openai/${EMBEDDING_MODEL}` },
    // Its route is chat completions alone: no embeddings.
    { name: 'jetty-nostore', headers: { ...json, authorization: `Bearer ${TOKEN}` }, model: `openai/${MODEL}`, embeds: false },
    { name: 'node-floor', headers: { ...json, authorization: 'Bearer sk-bench' }, model: MODEL, embeddingModel: EMBEDDING_MODEL },
    {
      name: 'portkey',
      // Portkey 1.15.2 answers every streamed OpenAI call with HTTP 500 ("TypeError: immutable"):
      // see bench/README.md. No request header avoids it, so it is measured without streaming.
      streams: false,
      headers: { ...json, authorization: 'Bearer sk-bench', 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${upstreamUrl}/v1` },
      model: MODEL,
      embeddingModel: EMBEDDING_MODEL,
    },
  ];
  if (args.baseline) {
    const script = path.resolve(args.baseline, 'bench/proxy.mjs');
    servers.push({ ...servers[0], name: 'jetty-baseline', script, role: 'jetty' });
  }
  const only = args.only?.split(',');
  try {
    for (const s of servers.filter((s) => !only || only.includes(s.name) || s.name === 'jetty-baseline')) {
      const extra = s.name === 'portkey' ? ['--port', String(18000 + Math.floor(Math.random() * 2000))] : ['--upstream', upstreamUrl];
      const { child, port } = await startChild(['--import', 'tsx', s.script ?? HERE, '--role', s.role ?? s.name, ...extra]);
      children.push(child);
      targets.push({ ...s, pid: child.pid, origin: `http://127.0.0.1:${port}` });
    }
    for (const t of targets) t.pool = new Pool(t.origin, { connections: 64, keepAliveTimeout: 60_000 });
    for (const t of targets) {
      await load(t, false, 8, 500); // warm-up: JIT, connections
      if (t.streams !== false) await load(t, true, 8, 500);
      // A baseline without the embeddings route is left out of the embeddings scenarios; any other target must answer them.
      if (t.embeds !== false) {
        t.embeds = await load(t, false, 8, 100, true).then(
          () => true,
          (error) => {
            if (t.name !== 'jetty-baseline') throw error;
            return false;
          },
        );
      }
    }
    const scenarios = [
      { stream: false, concurrency: 1 },
      { stream: true, concurrency: 1 },
      { stream: false, concurrency: 64 },
      { stream: true, concurrency: 64 },
      { embeddings: true, stream: false, concurrency: 1 },
      { embeddings: true, stream: false, concurrency: 64 },
    ];
    const results = [];
    for (const s of scenarios) {
      const count = s.concurrency === 1 ? requests : requests * 2;
      const active = targets.filter((t) => (s.embeddings ? t.embeds : !s.stream || t.streams !== false));
      const perRound = Object.fromEntries(active.map((t) => [t.name, []]));
      const cpu = Object.fromEntries(active.map((t) => [t.name, { ms: 0, n: 0 }]));
      for (let r = 0; r < rounds; r++) {
        // Rotate the order so no target always runs right after another.
        for (const t of active.map((_, i) => active[(i + r) % active.length])) {
          const before = cpuMs(t.pid);
          const sorted = (await load(t, s.stream, s.concurrency, count, s.embeddings)).sort((a, b) => a - b);
          // Background work a target left (Jetty's recording) finishes before the next load
          // starts, and counts in its own CPU.
          await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
          const after = cpuMs(t.pid);
          if (before !== null && after !== null) {
            cpu[t.name].ms += after - before;
            cpu[t.name].n += sorted.length;
          }
          perRound[t.name][r] = { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
        }
      }
      results.push({ ...s, count, perRound, cpu });
    }
    report(results, { rounds, requests });
  } finally {
    for (const t of targets) await t.pool?.close();
    for (const c of children) c.kill('SIGTERM');
  }
}

const scenarioName = (r) => (r.embeddings ? 'embeddings' : r.stream ? 'stream TTFT' : 'non-stream');

function report(results, { rounds, requests }) {
  const f = (x) => (x === undefined ? 'n/a' : x.toFixed(3));
  const names = ['jetty', 'jetty-baseline', 'jetty-nostore', 'node-floor', 'portkey'].filter((n) => results[0].perRound[n]);
  console.log(`\nload average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}; ${rounds} rounds; ${requests} requests per target and round at c=1, ${requests * 2} at c=64`);
  console.log('Added latency vs direct (ms): median over rounds of (target − direct in the same round)\n');
  console.log(`| scenario | direct p50 | direct p99 | ${names.map((n) => `${n} +p50 | ${n} +p99`).join(' | ')} | Jetty/Portkey +p50 |`);
  console.log(`|---|---|---|${names.map(() => '---|---|').join('')}---|`);
  for (const r of results) {
    const direct = r.perRound.direct;
    const added = (name, p) => (r.perRound[name] ? median(r.perRound[name].map((x, i) => x[p] - direct[i][p])) : undefined);
    const ratio = r.perRound.portkey && r.perRound.jetty ? (added('jetty', 'p50') / added('portkey', 'p50')).toFixed(2) : 'n/a';
    const cells = names.map((n) => `${f(added(n, 'p50'))} | ${f(added(n, 'p99'))}`).join(' | ');
    console.log(`| ${scenarioName(r)} c=${r.concurrency} | ${f(median(direct.map((x) => x.p50)))} | ${f(median(direct.map((x) => x.p99)))} | ${cells} | ${ratio} |`);
  }
  console.log('\nSpread over rounds (min–max) of direct p99 and Jetty +p50, ms; CPU per request of each server process, µs\n');
  console.log(`| scenario | direct p99 | Jetty +p50 | CPU/req: ${['direct', ...names].join(' | ')} |`);
  console.log(`|---|---|---|${['direct', ...names].map(() => '---|').join('')}`);
  for (const r of results) {
    const direct = r.perRound.direct;
    const span = (xs) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
    const cpu = ['direct', ...names].map((n) => (r.cpu[n]?.n ? Math.round((1000 * r.cpu[n].ms) / r.cpu[n].n) : 'n/a'));
    console.log(
      `| ${scenarioName(r)} c=${r.concurrency} | ${span(direct.map((x) => x.p99))} | ` +
        `${span(r.perRound.jetty.map((x, i) => x.p50 - direct[i].p50))} | ${cpu.join(' | ')} |`,
    );
  }
}

await (args.role === 'driver' ? drive() : serveRole());
