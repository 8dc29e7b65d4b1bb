// Workflow engine costs, measured in one run so the ratios compare like with like:
//  1. journaled step overhead: a 2,000-step text_echo workflow against a raw better-sqlite3
//     loop committing one row per step on a connection with the store's pragmas (goal ≥ 0.5×),
//     the engine with pure steps journaled in batches (the default) and with a commit per step,
//     in nine alternating rounds after a first, cold one (medians, in wall and CPU time), on
//     one long-lived runtime and one long-lived raw connection (one engine, many workflows);
//  2. fan-out: 1,000 text_echo children at max_concurrency 50 (goal ≥ 500 children/s);
//  3. resume latency after kill -9: a serving process is killed right after step 1 of a
//     2,000-step workflow is journaled (with the batch it came in); time from the next engine
//     start to the first resumed step being journaled (goal < 1 s).
// Run: node --import tsx bench/workflow.mjs [steps] [children]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createEngine } from '../electron/engine/api.ts';
import { createProxy } from '../electron/engine/proxy/index.ts';
import { openDatabase } from '../electron/engine/store/connection.ts';
import { openStore } from '../electron/engine/store/index.ts';
import { createModelClient, createWorkflowRuntime } from '../electron/engine/workflows/index.ts';

const STEPS = Number(process.argv[2] ?? 2000);
const CHILDREN = Number(process.argv[3] ?? 1000);
const root = mkdtempSync(path.join(os.tmpdir(), 'jetty-bench-wf-'));
const fmt = (n) => Math.round(n).toLocaleString('en');
const ROUNDS = 9;
const RESUME_STEPS = 2000;
const SETTLE_MS = 1000;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Wall time, and this process's CPU time (user + system, all threads): on a machine shared
 * with other work the wall rate falls with the load, the CPU rate measures what the code costs.
 */
function startClock() {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return {
    rates(count) {
      const used = process.cpuUsage(cpu);
      return { wall: count / ((performance.now() - wall) / 1000), cpu: count / ((used.user + used.system) / 1e6) };
    },
  };
}

/**
 * A runtime over a fresh store, as the engine makes it, once its proxy's recording thread
 * has booted (in the app that happens at start, long before a workflow runs; here its
 * compile would land in the measured run and, on two shared cores, take much of it).
 */
async function runtimeOver(dir, taskWorkflow = async () => null, options = {}) {
  const store = openStore(path.join(dir, 'jetty.db'));
  const proxy = createProxy({ store });
  const runtime = createWorkflowRuntime({ store, models: createModelClient(proxy), taskWorkflow, ...options });
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return { store, runtime, close: async () => (await runtime.close(), await proxy.close(), store.close()) };
}

/** One workflow of STEPS text_echo steps, each reading the one before. */
const stepsDocument = () => {
  const names = Array.from({ length: STEPS }, (_, i) => `s${i}`);
  return {
    init_params: { text: 'hello' },
    step_configs: Object.fromEntries(names.map((n, i) => [n, { activity: 'text_echo', text_path: i === 0 ? 'init_params.text' : `${names[i - 1]}.outputs.text` }])),
    steps: names,
  };
};

/** A workflow's steps/s on a long-lived runtime (as in the app: one engine, many workflows). */
const journaledSteps = (runtime) => async () => {
  const document = stepsDocument();
  const clock = startClock();
  const t = await runtime.start({ collection: 'bench', task: 'steps', document }).done;
  const rates = clock.rates(STEPS);
  if (t.status !== 'completed') throw new Error(`workflow ${t.status}: ${t.error}`);
  return rates;
};

/** The raw loop's commits/s on one long-lived connection: each round a trajectory of its own. */
function rawCommits(db) {
  db.exec('CREATE TABLE steps (id INTEGER PRIMARY KEY, trajectory_id TEXT NOT NULL, name TEXT NOT NULL, outputs TEXT NOT NULL, UNIQUE (trajectory_id, name)) STRICT');
  const insert = db.prepare('INSERT INTO steps (trajectory_id, name, outputs) VALUES (?, ?, ?)');
  const commit = db.transaction((trajectory, i) => insert.run(trajectory, `s${i}`, '{"text":"hello"}'));
  let round = 0;
  return () => {
    const trajectory = `raw${String(round++).padStart(5, '0')}`;
    const clock = startClock();
    for (let i = 0; i < STEPS; i++) commit(trajectory, i);
    return clock.rates(STEPS);
  };
}

async function fanOut() {
  const dir = mkdtempSync(path.join(root, 'fan-'));
  const child = { step_configs: { echo: { activity: 'text_echo', text_path: 'init_params.item' } }, steps: ['echo'] };
  const { runtime, close } = await runtimeOver(dir, async () => child);
  const document = {
    init_params: { items: Array.from({ length: CHILDREN }, (_, i) => `item ${i}`) },
    step_configs: { fan: { activity: 'list_emit_await', items_path: 'init_params.items', child_workflow_name: 'bench/child', max_concurrency: 50 } },
    steps: ['fan'],
  };
  const started = performance.now();
  const t = await runtime.start({ collection: 'bench', task: 'fan', document }).done;
  const ms = performance.now() - started;
  if (t.status !== 'completed') throw new Error(`fan-out ${t.status}: ${t.error}`);
  await close();
  return CHILDREN / (ms / 1000);
}

async function resumeLatency() {
  const dataDir = mkdtempSync(path.join(root, 'resume-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/integration/workflow-serve-child.ts', dataDir, 'bench-token'], {
    env: { ...process.env, FREEZE_WHEN: JSON.stringify({ step: 'first' }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const origin = (await lines.next()).value.split(' ')[1];
  const headers = { authorization: 'Bearer bench-token', 'content-type': 'application/json' };
  await fetch(`${origin}/api/v1/collections/`, { method: 'POST', headers, body: JSON.stringify({ name: 'bench' }) });
  // Pure steps are journaled in batches: the kill comes after the first batch, and the first
  // resumed step is the first one that batch did not hold.
  const names = Array.from({ length: RESUME_STEPS }, (_, i) => (i === 0 ? 'first' : `s${i}`));
  const workflow = {
    step_configs: Object.fromEntries(names.map((n, i) => [n, i === 0 ? { activity: 'text_echo', text: 'a' } : { activity: 'text_echo', text_path: `${names[i - 1]}.outputs.text` }])),
    steps: names,
  };
  await fetch(`${origin}/api/v1/tasks/bench`, { method: 'POST', headers, body: JSON.stringify({ name: 'resume', workflow }) });
  const form = new FormData();
  form.set('init_params', '{}');
  void fetch(`${origin}/api/v1/run/bench/resume`, { method: 'POST', headers: { authorization: headers.authorization }, body: form }).catch(() => undefined);
  while ((await lines.next()).value !== 'frozen');
  child.kill('SIGKILL');
  await exited;
  const journal = openDatabase(path.join(dataDir, 'jetty.db'));
  const journaled = new Set(journal.prepare("SELECT name FROM steps WHERE status = 'completed'").pluck().all());
  journal.close();
  const firstResumed = names.find((n) => !journaled.has(n));
  if (!firstResumed) throw new Error('the kill came after the whole workflow was journaled');

  const started = performance.now();
  let resumedAt = 0;
  const engine = await createEngine({ dataDir });
  const [id] = engine.workflows.active();
  const t = await engine.workflows.wait(id);
  resumedAt = Date.parse(t.steps[firstResumed].ended_at);
  const startedWall = Date.now() - (performance.now() - started);
  await engine.close();
  if (t.status !== 'completed') throw new Error(`resumed run ${t.status}`);
  return resumedAt - startedWall;
}

/**
 * Raw loop and engine taken in turns, ROUNDS times each, so a busy spell of the shared machine
 * hits both alike; the engine twice: pure steps journaled together (the default) and each
 * committed on its own (pureStepBatch 1, the durability of a commit per step).
 */
async function stepRatio() {
  const batched = await runtimeOver(mkdtempSync(path.join(root, 'steps-')));
  const each = await runtimeOver(mkdtempSync(path.join(root, 'steps-each-')), undefined, { pureStepBatch: 1 });
  const db = openDatabase(path.join(mkdtempSync(path.join(root, 'raw-')), 'raw.db'));
  const sides = { raw: rawCommits(db), batched: journaledSteps(batched.runtime), each: journaledSteps(each.runtime) };
  const round = async () => ({ raw: sides.raw(), batched: await sides.batched(), each: await sides.each() });
  // The first round runs on a cold JIT (as the first workflow after start does): shown apart.
  const cold = await round();
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await round());
  db.close();
  await batched.close();
  await each.close();
  const of = (side, clock) => {
    const raw = median(rounds.map((r) => r.raw[clock]));
    const engine = median(rounds.map((r) => r[side][clock]));
    return { raw, engine, ratio: engine / raw, first: cold[side][clock] / cold.raw[clock] };
  };
  return Object.fromEntries(['batched', 'each'].flatMap((side) => ['wall', 'cpu'].map((clock) => [`${side === 'each' ? 'a commit per step' : 'pure steps batched'}, ${clock} time`, of(side, clock)])));
}

try {
  const ratios = await stepRatio();
  for (const [label, { raw, engine, ratio, first }] of Object.entries(ratios)) {
    console.log(
      `journaled steps (${label}): ${fmt(engine)} steps/s; raw one-row commits: ${fmt(raw)}/s; ratio ${ratio.toFixed(2)}× (medians of ${ROUNDS} rounds after a cold one at ${first.toFixed(2)}×; goal ≥ 0.5×)`,
    );
  }
  const children = await fanOut();
  console.log(`fan-out: ${CHILDREN} text_echo children at max_concurrency 50: ${fmt(children)} children/s (goal ≥ 500/s)`);
  const latency = await resumeLatency();
  console.log(`resume after kill -9: ${latency.toFixed(0)} ms from engine start to the first resumed step journaled (goal < 1000 ms)`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
