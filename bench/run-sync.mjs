// A trivial runbook through a running `jetty serve` (`POST /api/v1/run-sync`), with the warm
// pool on and off, and through a one-shot `jetty run` (alone, and with that serve up: it hands
// the serve its run), against a bare
// `docker run --rm <image> true` in the same rounds. The runbook's built-in agent gets two
// answers from the scripted model server (through the run's gateway): one bash command
// that writes validation_report.json and prints a line, then `finish`. Each round runs every
// target once, the order rotating; headlines are medians and the median of per-round ratios
// to `docker run`. The run's own phase events (adopt or create, files in, agent start, first
// model call, collect, evaluate) explain where the time went, and "start → first command
// output" is the first command_output event's time after the run's first event.
// Needs Docker, the offline base image (bash .ci/docker.sh) and the build (npm run build).
//
// With `--trials N`, each target is N of its runs back to back (what an evaluation of N
// trials of one runbook does, one trial at a time: the pool refills between them as it
// would, only the first starts on a full pool), timed as a whole.
//
//   node --import tsx bench/run-sync.mjs [--rounds 7] [--pool 2] [--only docker,pool,nopool,cli,cliserve] [--trials 20]
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TEST_BASE_IMAGE, requireDocker } from '../test/helpers/docker.ts';
import { callTools, startScriptedModelServer } from '../test/helpers/scripted-model-server.ts';
import { startJettyServe } from '../test/helpers/serve.ts';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '7' }, pool: { type: 'string', default: '2' }, only: { type: 'string', default: 'docker,pool,nopool,cli,cliserve' }, trials: { type: 'string', default: '1' } },
});
const ROUNDS = Math.min(Math.max(Number(args.rounds), 1), 100);
const POOL = Math.min(Math.max(Number(args.pool), 1), 8);
const ONLY = new Set(args.only.split(','));
const TRIALS = Math.min(Math.max(Number(args.trials), 1), 200);
const IMAGE = TEST_BASE_IMAGE;
const COMMAND = `printf '%s' '{"overall_passed": true, "results": {"pass": 1, "partial": 0, "fail": 0}}' > /app/results/validation_report.json && echo hi`;
const RUNBOOK = `---
version: "1.0.0"
evaluation: programmatic
agent: builtin
---

# Trivial — Agent Runbook

## Objective

Write a passing validation report and say hi.

## REQUIRED OUTPUT FILES (MANDATORY)

| File | Description |
|------|-------------|
| \`{{results_dir}}/validation_report.json\` | \`{"overall_passed": true}\` |

## Parameters

| Parameter | Template Variable | Default | Description |
|-----------|-------------------|---------|-------------|
| Results directory | \`{{results_dir}}\` | \`/app/results\` | Output directory |

## Step 1: Report

\`\`\`bash
${COMMAND}
\`\`\`

## Final Checklist (MANDATORY — do not skip)

- [ ] validation_report.json written
`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const fmt = (x) => (x === undefined || Number.isNaN(x) ? '—' : `${Math.round(x)} ms`);

function timed(file, argv, env = process.env) {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    execFile(file, argv, { timeout: 120_000, env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${argv.join(' ')}: ${error.message}\n${stderr}`));
      else resolve({ ms: performance.now() - start, stdout, stderr });
    });
  });
}

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = path.join(REPO, 'bin/jetty.mjs');
if (!existsSync(path.join(REPO, 'out/main/cli.js'))) {
  console.error('bench/run-sync: out/main/cli.js is missing; run `npm run build` first.');
  process.exit(2);
}
const docker = await requireDocker();
const script = (request) => {
  const turns = request.messages.filter((m) => m.role === 'assistant').length;
  return turns === 0 ? callTools({ name: 'bash', arguments: { command: COMMAND } }) : callTools({ name: 'finish', arguments: { summary: 'done' } });
};
const model = await startScriptedModelServer(script);
const root = await mkdtemp(path.join(os.tmpdir(), 'jetty-bench-run-sync-'));
const folder = path.join(root, 'runbooks');
await mkdir(path.join(folder, 'bench/trivial'), { recursive: true });
const runbookPath = path.join(folder, 'bench/trivial/RUNBOOK.md');
await writeFile(runbookPath, RUNBOOK);
const env = { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-bench', JETTY_MODEL: 'scripted', JETTY_SANDBOX_IMAGE: IMAGE };

/** A `jetty serve` whose Settings give the warm pool `size` containers. */
async function serve(size) {
  const dataDir = path.join(root, `serve-${size}`);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ warmPoolSize: size }));
  return startJettyServe(folder, { env, dataDir, timeoutMs: 60_000 });
}

/** Waits (bounded) until `served`'s pool has `size` parked containers: a warm start, not a refill racing the run. */
async function poolFull(served, size) {
  const filters = JSON.stringify({ label: [`jetty.owner_pid=${served.child.pid}`, 'jetty.pool'], name: ['jetty-parked-'], status: ['running'] });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if ((await docker.listContainers({ filters })).length >= size) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the pool did not fill to ${size} within 60 s`);
}

/** The whole `POST /run-sync` of the trivial runbook; its phases from the run's events. */
async function runSync(served) {
  const form = new FormData();
  form.set('init_params', '{}');
  const start = performance.now();
  const res = await fetch(`${served.origin}/api/v1/run-sync/bench/trivial`, { method: 'POST', headers: { authorization: `Bearer ${served.token}` }, body: form });
  const body = await res.json();
  const ms = performance.now() - start;
  if (res.status !== 200 || body.status !== 'completed' || body.evaluation_verdict !== 'passed') throw new Error(`run-sync: ${res.status} ${JSON.stringify(body).slice(0, 2000)}`);
  const logs = await (await fetch(`${served.origin}/api/v1/workflows-logs/${body.trajectory_id}`, { headers: { authorization: `Bearer ${served.token}` } })).json();
  return { ms, ...phasesOf(logs.logs) };
}

/** Run start → first command output, and each phase event's duration, from a run's events. */
function phasesOf(events) {
  const t = (e) => Date.parse(e.time);
  const first = events[0];
  const output = events.find((e) => e.type === 'command_output');
  const phases = {};
  for (const e of events) if (e.type === 'progress' && typeof e.payload.duration_ms === 'number' && e.payload.step) phases[e.payload.step] = e.payload.duration_ms;
  return { firstOutput: output ? t(output) - t(first) : NaN, inRun: t(events.at(-1)) - t(first), phases };
}

/**
 * A whole `jetty run` process of the trivial runbook, its JSON lines read for the phases: in a
 * data folder of its own (the run in that process), or in a running serve's (handed to it).
 */
async function cliRun(dataDir, served) {
  const { ms, stdout, stderr } = await timed(process.execPath, [CLI, 'run', runbookPath, '--json', '--data-dir', dataDir], { ...process.env, ...env });
  if (stderr.includes('running through jetty serve') !== served) throw new Error(`jetty run ${served ? 'did not run' : 'ran'} through the serve: ${stderr}`);
  const events = stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => typeof l.seq === 'number');
  const result = JSON.parse(stdout.trim().split('\n').at(-1));
  if (result.exit_code !== 0) throw new Error(`jetty run: ${stdout.slice(-2000)}`);
  return { ms, ...phasesOf(events) };
}

const servedPool = ONLY.has('pool') || ONLY.has('cliserve') ? await serve(POOL) : null;
const servedOff = ONLY.has('nopool') ? await serve(0) : null;
const cliData = path.join(root, 'cli');
const single = {
  ...(ONLY.has('docker') ? { docker: async () => ({ ms: (await timed('docker', ['run', '--rm', IMAGE, 'true'])).ms }) } : {}),
  ...(servedPool && ONLY.has('pool') ? { pool: () => runSync(servedPool) } : {}),
  ...(servedOff ? { nopool: () => runSync(servedOff) } : {}),
  ...(ONLY.has('cli') ? { cli: () => cliRun(cliData, false) } : {}),
  ...(ONLY.has('cliserve') ? { cliserve: () => cliRun(path.join(root, `serve-${POOL}`), true) } : {}),
};
/** N runs back to back: their whole time; the phases and first output of the first. */
const batch = (one) => async () => {
  const start = performance.now();
  const first = await one();
  for (let i = 1; i < TRIALS; i++) await one();
  return { ...first, ms: performance.now() - start };
};
const targets = TRIALS === 1 ? single : Object.fromEntries(Object.entries(single).map(([n, one]) => [n, batch(one)]));
const LABELS = { docker: 'docker run --rm <image> true', pool: `run-sync, pool on (${POOL})`, nopool: 'run-sync, pool off', cli: 'jetty run (whole process)', cliserve: 'jetty run, a serve up (whole)' };
const names = Object.keys(targets);
try {
  // One warm-up of each (the first container of an image, the first run of a serve: the pool learns the image).
  for (const n of names) await single[n]();
  const results = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const n of order) {
      // The pool's refill is never timed, nor does it overlap any target: each starts with the pool full.
      if (servedPool) await poolFull(servedPool, POOL);
      results[n].push(await targets[n]());
    }
    console.log(`round ${round + 1}: ${names.map((n) => `${n} ${fmt(results[n].at(-1).ms)}`).join(', ')}`);
  }

  console.log(`\n${ROUNDS} rounds${TRIALS > 1 ? ` of ${TRIALS} runs back to back per target` : ''}, image ${IMAGE}, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const ref = results.docker;
  for (const n of names) {
    const ms = results[n].map((r) => r.ms);
    const ratio = ref ? ` ×${median(ms.map((x, i) => x / ref[i].ms)).toFixed(2)} docker run (per-round median)` : '';
    console.log(`  ${LABELS[n].padEnd(30)} median ${fmt(median(ms)).padStart(7)}${ratio}`);
  }
  for (const n of TRIALS === 1 ? names.filter((n) => n !== 'docker') : []) {
    const firstOutput = median(results[n].map((r) => r.firstOutput));
    const phaseNames = [...new Set(results[n].flatMap((r) => Object.keys(r.phases)))];
    const phases = phaseNames.map((p) => `${p} ${fmt(median(results[n].map((r) => r.phases[p]).filter((x) => x !== undefined)))}`);
    const outside = median(results[n].map((r) => r.ms - r.inRun));
    console.log(`  ${n}: run start → first command output ${fmt(firstOutput)}, outside the run's events ${fmt(outside)}${phases.length ? `; phases: ${phases.join(', ')}` : ''}`);
  }
} finally {
  await servedPool?.stop();
  await servedOff?.stop();
  await model.close();
  await rm(root, { recursive: true, force: true });
}
