// Pulling remote trajectories into the local store vs fetching the same JSON with a plain
// concurrent HTTP loop into memory, against the same real `jetty serve` remote, same run.
// The remote is seeded with N trajectories of E events each. Each round pulls into a
// fresh local store (list pages + one GET per trajectory, import in batched transactions,
// origins recorded) and runs the loop (same pages, same GETs, same concurrency, JSON.parse).
// Run: node --import tsx bench/pull.mjs [trajectories] [events-each] [rounds]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { createCloudService } from '../electron/engine/cloud/cloud-service.ts';
import { openSecretVault } from '../electron/engine/secrets/vault.ts';
import { openStore } from '../electron/engine/store/index.ts';

const N = Number(process.argv[2] ?? 1000);
const EVENTS = Number(process.argv[3] ?? 20);
const ROUNDS = Number(process.argv[4] ?? 5);
const CONCURRENCY = 8;
const dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-bench-pull-'));
const token = randomBytes(24).toString('base64url');

// Seed the remote's store, then serve it.
const remoteData = path.join(dir, 'remote');
mkdirSync(remoteData, { recursive: true });
mkdirSync(path.join(dir, 'served'));
const seed = openStore(path.join(remoteData, 'jetty.db'));
const now = Date.now();
const docs = Array.from({ length: N }, (_, i) => ({
  format_version: 1,
  id: (0x10000000 + i).toString(16),
  collection: 'bench',
  task: 'pull',
  kind: 'runbook',
  status: 'completed',
  error: null,
  init_params: { name: `n${i}` },
  agent: 'builtin',
  model: 'scripted',
  created_at: new Date(now - i * 1000).toISOString(),
  started_at: new Date(now - i * 1000).toISOString(),
  ended_at: new Date(now - i * 1000 + 500).toISOString(),
  usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  evaluation: { overall_passed: true, pass: 1, partial: 0, fail: 0 },
  steps: { agent: { status: 'completed', inputs: {}, outputs: { summary: 'ok' } } },
  labels: [],
  artifacts: [],
  events: Array.from({ length: EVENTS }, (_, e) => ({ seq: e + 1, time: new Date(now).toISOString(), level: 'info', type: 'command_output', step: 'agent', payload: { stream: 'stdout', text: `line ${e}: compiling module ... ok `.repeat(4) } })),
}));
for (let i = 0; i < docs.length; i += 200) seed.importTrajectories(docs.slice(i, i + 200));
seed.close();

const served = path.join(dir, 'served');
const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/index.ts', 'serve', served, '--port', '0', '--data-dir', remoteData, '--no-open'], {
  env: { ...process.env, JETTY_API_TOKEN: token },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const origin = await new Promise((resolve, reject) => {
  let out = '';
  const timer = setTimeout(() => reject(new Error(`jetty serve did not start: ${out}`)), 60_000);
  child.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/at (http:\/\/127\.0\.0\.1:\d+)\//);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
});

async function plainLoop() {
  const agent = new Agent({ connections: 16 });
  const headers = { authorization: `Bearer ${token}` };
  const get = async (p) => {
    const res = await request(`${origin}/api/v1${p}`, { headers, dispatcher: agent });
    return JSON.parse(await res.body.text());
  };
  const ids = [];
  for (let page = 1; page <= Math.ceil(N / 100); page++) {
    const body = await get(`/db/trajectories/bench/pull?limit=100&page=${page}`);
    ids.push(...body.trajectories.map((t) => t.trajectory_id));
    if (!body.has_more) break;
  }
  const out = [];
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < ids.length) out.push(await get(`/db/trajectory/bench/pull/${ids[next++]}`));
  }));
  await agent.close();
  return out.length;
}

let round = 0;
async function pull() {
  const clientDir = path.join(dir, `client-${round++}`);
  mkdirSync(clientDir);
  const store = openStore(path.join(clientDir, 'jetty.db'));
  const cloud = createCloudService({ store, vault: openSecretVault(clientDir), dataDir: clientDir, env: { HOME: path.join(dir, 'home'), JETTY_API_URL: origin } });
  await cloud.signIn(token);
  const result = await cloud.pull({ collection: 'bench', task: 'pull' });
  const again = await cloud.pull({ collection: 'bench', task: 'pull' });
  await cloud.close();
  store.close();
  if (result.added.length !== N || again.added.length !== 0) throw new Error(`pulled ${result.added.length}, then ${again.added.length}`);
  return result.added.length;
}

const time = async (fn) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  await plainLoop(); // warm-up: the remote's page cache and JIT
  await pull();
  const loopMs = [];
  const pullMs = [];
  for (let r = 0; r < ROUNDS; r++) {
    loopMs.push(await time(plainLoop));
    pullMs.push(await time(pull));
  }
  const l = median(loopMs);
  const p = median(pullMs);
  console.log(`${N} trajectories × ${EVENTS} events, concurrency ${CONCURRENCY}, ${ROUNDS} rounds (median)`);
  console.log(`plain concurrent HTTP loop into memory: ${l.toFixed(0)} ms (${((N / l) * 1000).toFixed(0)} trajectories/s)`);
  console.log(`jetty pull into the store (+ an idempotent second pull): ${p.toFixed(0)} ms (${((N / p) * 1000).toFixed(0)} trajectories/s)`);
  console.log(`ratio: ${(p / l).toFixed(2)}× (goal ≤ 1.5×)`);
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}
