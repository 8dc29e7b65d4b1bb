// Evaluation throughput, measured in one run on one engine (real Docker, the built-in agent
// against the scripted model answering at once, the offline base image):
//  1. an evaluation of N trivial trials (hello-report, 1 cell × N) at the default concurrency
//     (from this machine's cores and memory) or --concurrency K: wall time, trials/min;
//  2. the same N trials as N ordinary runs one after another: wall time, one trial's median;
//  3. N bare `docker run --rm <image> true` (what a sandbox costs at the least), one after
//     another and N at the same concurrency.
// The evaluation goes first and the sequential runs after, alternating would need twice the
// time on a shared machine; both see a warm image and a warm engine (one warm-up run first).
// --pool N sets the warm pool's size (Settings → Warm sandboxes; 0 turns it off; default:
// the setting's default), to compare an evaluation with and without warm sandboxes.
// Run: node --import tsx bench/eval.mjs [trials=20] [--concurrency K] [--pool N]
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createEngine } from '../electron/engine/api.ts';
import { defaultLocalConcurrency, evaluationReport } from '../electron/engine/evaluations/index.ts';
import { assembleRun } from '../electron/engine/runs/assemble-run.ts';
import { openStoredRunSources } from '../electron/engine/runs/stored-run-sources.ts';
import { requireDocker, removeTestContainers, TEST_BASE_IMAGE } from '../test/helpers/docker.ts';
import { startScriptedModelServer } from '../test/helpers/scripted-model-server.ts';
import { helloReport } from '../test/helpers/scripted-model-scripts.ts';

const args = process.argv.slice(2);
const flag = args.indexOf('--concurrency');
const CONCURRENCY = flag >= 0 ? Number(args[flag + 1]) : defaultLocalConcurrency();
const poolFlag = args.indexOf('--pool');
const POOL = poolFlag >= 0 ? Math.min(Math.max(Number(args[poolFlag + 1]), 0), 8) : undefined;
const TRIALS = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--concurrency' && args[i - 1] !== '--pool') ?? 20);
const HELLO = path.resolve('resources/examples/demo/hello-report/RUNBOOK.md');
const run = promisify(execFile);
const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const docker = await requireDocker();
const model = await startScriptedModelServer(helloReport);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jetty-bench-eval-'));
if (POOL !== undefined) writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ warmPoolSize: POOL }));
const env = { ...process.env, OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-bench', JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE };
const engine = await createEngine({ dataDir, env, resumeEvaluations: false });
const sources = openStoredRunSources(dataDir, env);
console.log(`${os.availableParallelism()} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB, load ${os.loadavg()[0].toFixed(1)}; ${TRIALS} trials, concurrency ${CONCURRENCY} (default here: ${defaultLocalConcurrency()}); warm pool ${POOL ?? 'default size'}`);

/** One ordinary run of hello-report, to its end; its wall time. */
async function oneRun() {
  const start = performance.now();
  const handle = await engine.services.runner.start(assembleRun({ runbookPath: HELLO, model: 'scripted-model', door: 'cli' }, sources));
  const t = await handle.done;
  if (t.status !== 'completed') throw new Error(`a run ${t.status}: ${t.error}`);
  return performance.now() - start;
}

try {
  await oneRun(); // warm: the image's layers, the engine's code paths

  // 1. The evaluation.
  let start = performance.now();
  const { id, done } = await engine.evaluations.start({ runbookPath: HELLO, cells: [{ model: 'scripted-model' }], trials: TRIALS, concurrency: { local: CONCURRENCY } });
  await done;
  const evaluation = performance.now() - start;
  const report = evaluationReport(engine.services.store.evaluations(), id);
  const cell = report.cells[0];
  if (cell.passed !== TRIALS) throw new Error(`the evaluation passed ${cell.passed} of ${TRIALS}: ${JSON.stringify(cell.errors_by_kind)}`);

  // 2. The same trials as ordinary runs, one after another.
  const runs = [];
  start = performance.now();
  for (let i = 0; i < TRIALS; i++) runs.push(await oneRun());
  const sequential = performance.now() - start;

  // 3. Bare containers: one after another, then as many at once as the evaluation ran.
  const bare = () => run('docker', ['run', '--rm', TEST_BASE_IMAGE, 'true']);
  start = performance.now();
  for (let i = 0; i < TRIALS; i++) await bare();
  const dockerSequential = performance.now() - start;
  start = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next++ < TRIALS) await bare();
  }));
  const dockerParallel = performance.now() - start;

  console.log(`\n${TRIALS} trivial trials:`);
  console.log(`  evaluation (concurrency ${CONCURRENCY}):     ${s(evaluation)}  (${((TRIALS / evaluation) * 60_000).toFixed(1)} trials/min; trial p50 ${s(cell.duration_ms.p50)}, p90 ${s(cell.duration_ms.p90)})`);
  console.log(`  ${TRIALS} runs one after another:         ${s(sequential)}  (one run: median ${s(median(runs))})`);
  console.log(`  ${TRIALS} × one run (median):             ${s(TRIALS * median(runs))}`);
  console.log(`  ${TRIALS} bare docker runs, in sequence:  ${s(dockerSequential)}`);
  console.log(`  ${TRIALS} bare docker runs, ${CONCURRENCY} at once:   ${s(dockerParallel)}`);
  console.log(`  speed-up of the evaluation over ${TRIALS} × one run: ${((TRIALS * median(runs)) / evaluation).toFixed(2)}x`);
  console.log(`  evaluation / bare docker runs at the same concurrency: ${(evaluation / dockerParallel).toFixed(2)}x`);
} finally {
  await engine.close();
  await model.close();
  await removeTestContainers(docker);
  rmSync(dataDir, { recursive: true, force: true });
}
