// Added latency of a translated gateway call: OpenAI Responses (`POST /v1/responses`, what
// codex speaks) answered by a chat-completions-only upstream, against a direct call to that
// upstream, beside the plain passthrough (`POST /v1/chat/completions` to the same upstream)
// in the same rounds. Jetty runs as `jetty serve` does (the whole engine, recording into
// SQLite from its worker thread); the upstream is the fake provider; each in its own
// process. Non-streaming total time and streaming time to the first text delta, p50 and
// p99, one request at a time. Loopback only; every load is bounded in count and time.
//
//   node --import tsx bench/gateway.mjs [--rounds 7] [--requests 2000]
//
// Rounds rotate the targets' order; figures are medians over rounds of (target − direct)
// measured in the same round; `translation` is translated − passthrough.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { portOf } from './child-port.mjs';

const HERE = fileURLToPath(import.meta.url);
const TOKEN = 'bench-token';
const MODEL = 'gpt-4o-mini';
const { values: args } = parseArgs({
  options: {
    role: { type: 'string', default: 'driver' },
    upstream: { type: 'string' },
    rounds: { type: 'string', default: '7' },
    requests: { type: 'string', default: '2000' },
  },
});

async function serveRole() {
  if (args.role === 'upstream') {
    const { startFakeUpstream } = await import('../test/helpers/fake-upstream.ts');
    const upstream = await startFakeUpstream({ quiet: true });
    return console.log(`PORT ${new URL(upstream.baseUrl).port}`);
  }
  const { createEngine } = await import('../electron/engine/api.ts');
  const { createLocalServer } = await import('../electron/engine/server/local-server.ts');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-bench-gateway-'));
  const engine = await createEngine({ dataDir: dir, env: { OPENAI_BASE_URL: `${args.upstream}/v1`, OPENAI_API_KEY: 'sk-bench' } });
  const server = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: engine.routes });
  process.on('SIGTERM', async () => {
    await server.close();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
  console.log(`PORT ${server.port}`);
}

function startChild(argv) {
  const child = spawn(process.execPath, ['--import', 'tsx', HERE, ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
  return portOf(child, argv.join(' '));
}

const PROMPT = 'Say hello in five words.';
const chatBody = (model, stream) => JSON.stringify({ model, stream, messages: [{ role: 'user', content: PROMPT }] });
const responsesBody = (model, stream) => JSON.stringify({ model, stream, input: PROMPT });

/** One request; its latency in ms (stream: time to the first text delta). */
async function once(target, stream) {
  const start = process.hrtime.bigint();
  const { statusCode, body } = await target.pool.request({ method: 'POST', path: target.path, headers: target.headers, body: target.body(stream) });
  if (statusCode !== 200) throw new Error(`${target.name}: HTTP ${statusCode}: ${await body.text()}`);
  let first = null;
  for await (const chunk of body) if (first === null && (!stream || chunk.includes(target.firstText))) first = process.hrtime.bigint();
  const end = stream ? first : process.hrtime.bigint();
  if (end === null) throw new Error(`${target.name}: no text in the stream`);
  return Number(end - start) / 1e6;
}

/** `total` requests one at a time, bounded to 20 s. */
async function load(target, stream, total) {
  const latencies = [];
  const deadline = Date.now() + 20_000;
  for (let i = 0; i < total && Date.now() < deadline; i++) latencies.push(await once(target, stream));
  return latencies.sort((a, b) => a - b);
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(3)} ms`;

async function drive() {
  const rounds = Number(args.rounds);
  const requests = Number(args.requests);
  const upstream = await startChild(['--role', 'upstream']);
  const upstreamUrl = `http://127.0.0.1:${upstream.port}`;
  const jetty = await startChild(['--role', 'jetty', '--upstream', upstreamUrl]);
  const children = [upstream.child, jetty.child];
  const json = { 'content-type': 'application/json' };
  const viaJetty = { origin: `http://127.0.0.1:${jetty.port}`, headers: { ...json, authorization: `Bearer ${TOKEN}` } };
  const targets = [
    { name: 'direct', origin: upstreamUrl, headers: { ...json, authorization: 'Bearer sk-bench' }, path: '/v1/chat/completions', body: (s) => chatBody(MODEL, s), firstText: '"content":"H' },
    { name: 'passthrough', ...viaJetty, path: '/v1/chat/completions', body: (s) => chatBody(`openai/${MODEL}`, s), firstText: '"content":"H' },
    { name: 'translated', ...viaJetty, path: '/v1/responses', body: (s) => responsesBody(`openai/${MODEL}`, s), firstText: '"delta":"H' },
  ];
  try {
    for (const t of targets) t.pool = new Pool(t.origin, { connections: 1, keepAliveTimeout: 60_000 });
    for (const t of targets) for (const stream of [false, true]) await load(t, stream, 300); // warm-up
    const loadBefore = os.loadavg();
    const rows = [];
    for (const stream of [false, true]) {
      const added = { passthrough: { p50: [], p99: [] }, translated: { p50: [], p99: [] }, translation: { p50: [], p99: [] } };
      const direct = { p50: [], p99: [] };
      for (let r = 0; r < rounds; r++) {
        const order = targets.map((_, i) => targets[(i + r) % targets.length]);
        const got = {};
        for (const t of order) got[t.name] = await load(t, stream, requests);
        for (const p of ['p50', 'p99']) {
          const at = (name) => percentile(got[name], p === 'p50' ? 50 : 99);
          direct[p].push(at('direct'));
          added.passthrough[p].push(at('passthrough') - at('direct'));
          added.translated[p].push(at('translated') - at('direct'));
          added.translation[p].push(at('translated') - at('passthrough'));
        }
      }
      const what = stream ? 'stream, first text' : 'whole response';
      rows.push(`| ${what} | direct | ${ms(median(direct.p50))} | ${ms(median(direct.p99))} |`);
      for (const [name, v] of Object.entries(added)) rows.push(`| ${what} | ${name === 'translation' ? 'translated − passthrough' : `${name} − direct`} | ${ms(median(v.p50))} | ${ms(median(v.p99))} |`);
    }
    const loadAfter = os.loadavg();
    console.log(`gateway: ${rounds} rounds × ${requests} requests per target, c=1, node ${process.version}, ${os.cpus().length} CPUs`);
    console.log(`load average before ${loadBefore.map((x) => x.toFixed(2)).join(' ')}, after ${loadAfter.map((x) => x.toFixed(2)).join(' ')}\n`);
    console.log('| call | figure | p50 | p99 |\n|---|---|---|---|');
    for (const row of rows) console.log(row);
  } finally {
    for (const t of targets) await t.pool?.close();
    for (const c of children) c.kill('SIGTERM');
  }
}

if (args.role === 'driver') await drive();
else await serveRole();
