// What the engine's trajectory change notices cost a long workflow, measured in one run so
// the two sides compare like with like: a 2,000-step text_echo workflow
//  - "none": on a bare runtime over a store, with nothing listening to the store's changes;
//  - "subscribed": on an engine (createEngine) with a `trajectory.changed` bus listener that
//    does what the app does with every notice: the WebSocket transport serialises it to JSON,
//    and the step graph reloads its view (`workflow.run`).
// The sides alternate for ROUNDS rounds after a cold one (medians); a subscribed run ends
// when its completed notice has arrived and the reloads are answered (what a UI waits for).
// Run: node --import tsx bench/changes.mjs [steps] [rounds]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../electron/engine/api.ts';
import { createProxy } from '../electron/engine/proxy/index.ts';
import { openStore } from '../electron/engine/store/index.ts';
import { createModelClient, createWorkflowRuntime } from '../electron/engine/workflows/index.ts';

const STEPS = Number(process.argv[2] ?? 2000);
const ROUNDS = Number(process.argv[3] ?? 7);
/** The proxy's recording thread boots at start; its compile must not land in the measured runs. */
const SETTLE_MS = 1000;
const root = mkdtempSync(path.join(os.tmpdir(), 'jetty-bench-changes-'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

const document = () => {
  const names = Array.from({ length: STEPS }, (_, i) => `s${i}`);
  return {
    init_params: { text: 'hello' },
    step_configs: Object.fromEntries(names.map((n, i) => [n, { activity: 'text_echo', text_path: i === 0 ? 'init_params.text' : `${names[i - 1]}.outputs.text` }])),
    steps: names,
  };
};

/** Wall and CPU (this process, all threads) milliseconds of `work`. */
async function timed(work) {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(cpu);
  return { ...result, wall: performance.now() - wall, cpu: (used.user + used.system) / 1000 };
}

async function bareSide() {
  const store = openStore(path.join(mkdtempSync(path.join(root, 'none-')), 'jetty.db'));
  const proxy = createProxy({ store });
  const runtime = createWorkflowRuntime({ store, models: createModelClient(proxy), taskWorkflow: async () => null });
  await settle();
  return {
    run: () =>
      timed(async () => {
        const t = await runtime.start({ collection: 'bench', task: 'steps', document: document() }).done;
        if (t.status !== 'completed') throw new Error(`workflow ${t.status}: ${t.error}`);
        return { notices: 0, bytes: 0 };
      }),
    close: async () => (await runtime.close(), await proxy.close(), store.close()),
  };
}

async function subscribedSide() {
  const engine = await createEngine({ dataDir: mkdtempSync(path.join(root, 'subscribed-')), env: {} });
  await settle();
  let watching = null;
  engine.bus.subscribe('trajectory.changed', (t) => {
    if (!watching || t.id !== watching.id) return;
    watching.notices++;
    watching.bytes += JSON.stringify({ event: 'trajectory.changed', payload: t }).length;
    watching.reloads.push(engine.api['workflow.run']({ id: t.id }));
    if (t.status === 'completed') watching.ended();
  });
  return {
    run: () =>
      timed(async () => {
        const handle = engine.workflows.start({ collection: 'bench', task: 'steps', document: document() });
        const ended = new Promise((resolve) => (watching = { id: handle.id, notices: 0, bytes: 0, reloads: [], ended: resolve }));
        const t = await handle.done;
        if (t.status !== 'completed') throw new Error(`workflow ${t.status}: ${t.error}`);
        await ended;
        await Promise.all(watching.reloads);
        return { notices: watching.notices, bytes: watching.bytes };
      }),
    close: () => engine.close(),
  };
}

try {
  const sides = { none: await bareSide(), subscribed: await subscribedSide() };
  const round = async () => ({ none: await sides.none.run(), subscribed: await sides.subscribed.run() });
  const cold = await round();
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await round());
  await sides.none.close();
  await sides.subscribed.close();
  const of = (side, key) => median(rounds.map((r) => r[side][key]));
  const ms = (n) => `${n.toFixed(0)} ms`;
  console.log(`${STEPS}-step text_echo workflow, medians of ${ROUNDS} alternating rounds after a cold one:`);
  for (const side of ['none', 'subscribed']) {
    console.log(
      `  ${side.padEnd(10)} wall ${ms(of(side, 'wall'))}, CPU ${ms(of(side, 'cpu'))}; notices ${of(side, 'notices')} (${(of(side, 'bytes') / 1e6).toFixed(1)} MB serialised); cold round wall ${ms(cold[side].wall)}, ${cold[side].notices} notices`,
    );
  }
  console.log(
    `  notices cost: wall ×${(of('subscribed', 'wall') / of('none', 'wall')).toFixed(2)} (+${ms(of('subscribed', 'wall') - of('none', 'wall'))}), CPU ×${(of('subscribed', 'cpu') / of('none', 'cpu')).toFixed(2)} (+${ms(of('subscribed', 'cpu') - of('none', 'cpu'))})`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
