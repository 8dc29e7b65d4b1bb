// Added latency of the passthrough proxy: Jetty's `POST /v1/chat/completions` (recording on)
// and @portkey-ai/gateway, each against the same local fake upstream, compared with calling
// that upstream directly. Non-streaming total time and streaming time to first token, p50 and
// p99, at concurrency 1 and 64. Loopback only; every loop is bounded in count and time.
//
//   node --import tsx bench/proxy.mjs [--rounds 5] [--requests 1500]
//
// The upstream, Jetty and Portkey each run in their own process; this process only drives load.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const HERE = fileURLToPath(import.meta.url);
const TOKEN = 'bench-token';
const { values: args } = parseArgs({
  options: {
    role: { type: 'string', default: 'driver' },
    upstream: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '1500' },
  },
});

/** Child process roles: print `PORT <n>` once listening, run until killed. */
async function serveRole() {
  if (args.role === 'upstream') {
    const { startFakeUpstream } = await import('../test/helpers/fake-upstream.ts');
    const upstream = await startFakeUpstream({ quiet: true });
    console.log(`PORT ${new URL(upstream.baseUrl).port}`);
    return;
  }
  const { openStore } = await import('../electron/engine/store/index.ts');
  const { createProxy } = await import('../electron/engine/proxy/index.ts');
  const { chatCompletionsRoute } = await import('../electron/engine/server/chat-completions.ts');
  const { createLocalServer } = await import('../electron/engine/server/local-server.ts');
  const { createEventBus } = await import('../electron/engine/events.ts');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-bench-proxy-'));
  const store = openStore(path.join(dir, 'jetty.db'));
  const proxy = createProxy({ store, env: { OPENAI_BASE_URL: `${args.upstream}/v1`, OPENAI_API_KEY: 'sk-bench' } });
  // The WebSocket RPC is not exercised here; the server only needs an engine to hand it.
  const engine = { api: {}, bus: createEventBus() };
  const server = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: [chatCompletionsRoute({ passthrough: proxy })] });
  process.on('SIGTERM', () => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
  console.log(`PORT ${server.port}`);
}

function startChild(argv, env = {}) {
  const child = spawn(process.execPath, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${argv.join(' ')} did not start`)), 30_000);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/PORT (\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.once('exit', (code) => reject(new Error(`${argv.join(' ')} exited with ${code}`)));
  });
}

async function startPortkey() {
  const port = 18000 + Math.floor(Math.random() * 2000);
  const entry = path.join(path.dirname(HERE), '..', 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js');
  const child = spawn(process.execPath, [entry, `--port=${port}`, '--headless'], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false);
    if (ok) return { child, port };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('Portkey gateway did not start');
}

const body = (stream) =>
  JSON.stringify({ model: 'openai/gpt-4o-mini', stream, messages: [{ role: 'user', content: 'Say hello in five words.' }] });

/** One request; resolves to its latency in ms (stream: time to the first content chunk). */
async function once(pool, target, stream) {
  const start = process.hrtime.bigint();
  const { statusCode, body: res } = await pool.request({ method: 'POST', path: '/v1/chat/completions', headers: target.headers, body: target.body(stream) });
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
async function load(pool, target, stream, concurrency, total) {
  const latencies = [];
  const deadline = Date.now() + 20_000;
  let next = 0;
  const worker = async () => {
    while (next < total && Date.now() < deadline) {
      next++;
      latencies.push(await once(pool, target, stream));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function drive() {
  const rounds = Number(args.rounds);
  const requests = Number(args.requests);
  const tsx = ['--import', 'tsx', HERE];
  const upstream = await startChild([...tsx, '--role', 'upstream']);
  const upstreamUrl = `http://127.0.0.1:${upstream.port}`;
  const jetty = await startChild([...tsx, '--role', 'jetty', '--upstream', upstreamUrl]);
  const portkey = await startPortkey();
  const children = [upstream.child, jetty.child, portkey.child];
  const json = { 'content-type': 'application/json' };
  const targets = [
    { name: 'direct', origin: upstreamUrl, headers: { ...json, authorization: 'Bearer sk-bench' }, body },
    { name: 'jetty', origin: `http://127.0.0.1:${jetty.port}`, headers: { ...json, authorization: `Bearer ${TOKEN}` }, body },
    {
      name: 'portkey',
      // Portkey 1.15.2 answers every streamed call with HTTP 500 on Node 20 ("TypeError: immutable"
      // while it appends headers to the upstream response), so it is measured without streaming.
      streams: false,
      origin: `http://127.0.0.1:${portkey.port}`,
      headers: { ...json, authorization: 'Bearer sk-bench', 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${upstreamUrl}/v1` },
      body: (stream) => body(stream).replace('openai/gpt-4o-mini', 'gpt-4o-mini'),
    },
  ];
  const scenarios = [
    { stream: false, concurrency: 1 },
    { stream: true, concurrency: 1 },
    { stream: false, concurrency: 64 },
    { stream: true, concurrency: 64 },
  ];
  const results = {};
  try {
    for (const t of targets) t.pool = new Pool(t.origin, { connections: 64, keepAliveTimeout: 60_000 });
    for (const t of targets) await load(t.pool, t, false, 8, 300); // warm-up (JIT, connections)
    for (const s of scenarios) {
      const key = `${s.stream ? 'stream TTFT' : 'non-stream'} c=${s.concurrency}`;
      results[key] = { direct: [], jetty: [], portkey: [] };
      const count = s.concurrency === 1 ? Math.ceil(requests / 3) : requests;
      for (let r = 0; r < rounds; r++) {
        for (const t of targets) {
          if (s.stream && t.streams === false) continue;
          const sorted = (await load(t.pool, t, s.stream, s.concurrency, count)).sort((a, b) => a - b);
          results[key][t.name].push({ p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.length });
        }
      }
    }
  } finally {
    for (const t of targets) await t.pool?.close();
    for (const c of children) c.kill('SIGTERM');
  }

  const f = (x) => x.toFixed(3);
  console.log(`\nAdded latency vs direct (ms), median of ${rounds} rounds; requests per round: ${Math.ceil(requests / 3)} at c=1, ${requests} at c=64\n`);
  console.log('| scenario | direct p50 | direct p99 | Jetty +p50 | Jetty +p99 | Portkey +p50 | Portkey +p99 | Jetty/Portkey added p50 |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [key, byTarget] of Object.entries(results)) {
    const m = (name, p) => median(byTarget[name].map((x) => x[p]));
    const added = (name, p) => median(byTarget[name].map((x, i) => x[p] - byTarget.direct[i][p]));
    const hasPortkey = byTarget.portkey.length > 0;
    const ratio = hasPortkey ? (added('jetty', 'p50') / added('portkey', 'p50')).toFixed(2) : 'n/a';
    const pk = (p) => (hasPortkey ? f(added('portkey', p)) : 'n/a');
    console.log(
      `| ${key} | ${f(m('direct', 'p50'))} | ${f(m('direct', 'p99'))} | ${f(added('jetty', 'p50'))} | ${f(added('jetty', 'p99'))} | ` +
        `${pk('p50')} | ${pk('p99')} | ${ratio} |`,
    );
  }
}

await (args.role === 'driver' ? drive() : serveRole());
