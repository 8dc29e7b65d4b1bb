// A trivial codex run against bare `docker run`s of the same image: a runbook (the
// secret-report test fixture, naming model gpt-5.5, so codex runs it) whose agent runs one
// command through the real Codex CLI in a real sandbox — the scripted model server answers
// through Jetty's run gateway: first the command, then a last message — beside
// `docker run --rm <image> true` and `docker run --rm <image> codex --version`, alternating in
// each round; medians over rounds. The run's time is broken down from the sandbox's own calls
// (timed around the service's methods), the trajectory's step times and the scripted
// server's request times. Loopback and the Docker bridge only; every wait is bounded.
//
//   node --import tsx bench/codex-run.mjs [--rounds 5]     (BENCH_SPANS=1 prints each run's sandbox calls and model server requests)
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRunGateway } from '../electron/engine/gateway/run-gateway.ts';
import { createRunner } from '../electron/engine/runs/runner.ts';
import { openStore } from '../electron/engine/store/index.ts';
import { ensureCodexImage } from '../test/helpers/codex-image.ts';
import { createTestSandboxService, removeTestContainers, requireDocker } from '../test/helpers/docker.ts';
import { callTools, reply, startScriptedModelServer } from '../test/helpers/scripted-model-server.ts';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const ROUNDS = Math.max(5, Number(args.rounds));
const RUN_TIMEOUT_MS = 120_000;
const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/runs/demo/secret-report/RUNBOOK.md');
const API_KEY = 'sk-bench-codex';
const REPORT = '{"overall_passed": true, "results": {"pass": 1, "partial": 0, "fail": 0}}';
const COMMAND = `mkdir -p /app/results && printf '%s' '${REPORT}' > /app/results/validation_report.json`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${Math.round(x)} ms`;

/** `docker <argv>`: its wall time in ms (rejects on a non-zero exit or after 60 s). */
function dockerTime(argv) {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    execFile('docker', argv, { timeout: 60_000 }, (error) => (error ? reject(error) : resolve(performance.now() - start)));
  });
}

/** Times every call of `object[name]` into `timing.spans` (start and end, ms on the performance clock). */
function timeCalls(object, names, timing, label = (name) => name) {
  for (const name of names) {
    const original = object[name].bind(object);
    object[name] = async (...callArgs) => {
      const span = { name: label(name, callArgs), start: performance.now(), end: 0 };
      timing.spans.push(span);
      try {
        return await original(...callArgs);
      } finally {
        span.end = performance.now();
      }
    };
  }
}

/** Times the sandbox service's image check and container start, and each sandbox's methods, into `timing.spans`. */
function timeSandboxes(sandboxes, timing) {
  timeCalls(sandboxes, ['ensureImage'], timing);
  const create = sandboxes.create.bind(sandboxes);
  sandboxes.create = async (options) => {
    const span = { name: 'create', start: performance.now(), end: 0 };
    timing.spans.push(span);
    const sandbox = await create(options);
    span.end = performance.now();
    timeCalls(sandbox, ['exec', 'writeFile', 'writeFiles', 'readFile', 'collectResults', 'destroy'], timing, (name, callArgs) =>
      name === 'exec' ? `exec ${String(callArgs[0]).includes('codex exec') ? 'codex' : 'other'}` : name,
    );
    return sandbox;
  };
}

/** One codex run: its wall time and where the time went (ms). */
async function codexRun({ store, sandboxes, timing, gateway, dir, runbook, image }) {
  const server = await startScriptedModelServer([callTools({ name: 'exec_command', arguments: { cmd: COMMAND } }), reply('Done.')], { apiKey: API_KEY });
  const spans = (timing.spans = []);
  const runner = createRunner({
    store,
    sandboxes,
    artifactsRoot: path.join(dir, 'artifacts'),
    env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: API_KEY, OPENAI_WIRE_API: 'responses' },
    gateway,
  });
  try {
    const wallStart = performance.now();
    const epochStart = Date.now();
    const run = await runner.start({ runbookPath: runbook, params: { topic: 'bench' }, secrets: { DEMO_TOKEN: 'sk-bench-demo' }, image });
    const timer = setTimeout(() => run.cancel(), RUN_TIMEOUT_MS);
    const t = await run.done;
    clearTimeout(timer);
    const wall = performance.now() - wallStart;
    // The container is removed after the run's end: timed apart, and awaited so rounds do not overlap.
    await runner.containersRemoved();
    if (t.status !== 'completed') throw new Error(`codex run ${t.id} ended ${t.status}: ${t.error}`);
    const calls = server.requests.filter((r) => r.path === '/v1/responses');
    if (calls.length !== 2) throw new Error(`expected 2 model calls, the scripted server got ${calls.length}`);
    // Epoch times (the step times, the server's request times) on the performance clock.
    const at = (iso) => wallStart + (Date.parse(iso) - epochStart);
    const span = (name) => spans.find((s) => s.name === name);
    const cli = span('exec codex');
    const agent = t.steps.agent;
    const phases = {
      'prepare (lint, render)': span('ensureImage').start - wallStart,
      'image check': span('ensureImage').end - span('ensureImage').start,
      'sandbox create + start': span('create').end - span('create').start,
      // The run's files (its folder, inputs) go in one archive with the agent's own (config.toml, AGENTS.md, task.md).
      'files in (one archive)': span('writeFiles').end - span('writeFiles').start,
      'agent set-up (run token)': span('writeFiles').start - span('create').end + (cli.start - span('writeFiles').end),
      'CLI boot → first model request': wallStart + (calls[0].receivedAt - epochStart) - cli.start,
      'model turns (2 calls, 1 command)': cli.end - (wallStart + (calls[0].receivedAt - epochStart)),
      'agent step end': at(agent.ended_at) - cli.end,
      'copy-out (collect)': span('collectResults').end - span('collectResults').start,
      'evaluation': at(t.steps.evaluate.ended_at) - at(t.steps.evaluate.started_at),
    };
    const accounted = Object.values(phases).reduce((a, b) => a + b, 0);
    phases['the rest (store, events)'] = wall - accounted;
    phases['(after the end) container removed, past done'] = span('destroy').end - wallStart - wall;
    phases['(after the end) removal, whole'] = span('destroy').end - span('destroy').start;
    if (process.env.BENCH_SPANS) {
      const requests = server.requests.map((r) => `${r.method} ${r.path} ${r.receivedAt - epochStart}`);
      console.log([...spans.map((s) => `${s.name} ${Math.round(s.start - wallStart)}–${Math.round(s.end - wallStart)}`), ...requests].join('\n'));
    }
    return { wall, phases };
  } finally {
    await server.close();
  }
}

async function main() {
  const docker = await requireDocker();
  const image = await ensureCodexImage(docker);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-bench-codex-'));
  const runbook = path.join(dir, 'runbooks/demo/secret-report/RUNBOOK.md');
  await mkdir(path.dirname(runbook), { recursive: true });
  await writeFile(runbook, (await readFile(FIXTURE, 'utf8')).replace('agent: builtin', 'model: gpt-5.5'));
  const store = openStore(path.join(dir, 'jetty.db'));
  const sandboxes = createTestSandboxService(docker);
  const timing = { spans: [] };
  timeSandboxes(sandboxes, timing);
  const gateway = createRunGateway();
  const env = { store, sandboxes, timing, gateway, dir, runbook, image };
  const targets = {
    'codex run': async () => codexRun(env),
    'docker run --rm <image> true': async () => ({ wall: await dockerTime(['run', '--rm', image, 'true']) }),
    'docker run --rm <image> codex --version': async () => ({ wall: await dockerTime(['run', '--rm', image, 'codex', '--version']) }),
  };
  const names = Object.keys(targets);
  const walls = Object.fromEntries(names.map((n) => [n, []]));
  const phases = {};
  try {
    for (const name of names) await targets[name](); // warm-up: image layers and the CLI in the page cache
    const loadBefore = os.loadavg();
    for (let r = 0; r < ROUNDS; r++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + r) % names.length];
        const result = await targets[name]();
        walls[name].push(result.wall);
        for (const [phase, value] of Object.entries(result.phases ?? {})) (phases[phase] ??= []).push(value);
      }
    }
    const loadAfter = os.loadavg();
    const bare = median(walls[names[1]]);
    console.log(`codex-run: ${ROUNDS} rounds, order rotating, image ${image}, node ${process.version}, ${os.cpus().length} CPUs`);
    console.log(`load average before ${loadBefore.map((x) => x.toFixed(2)).join(' ')}, after ${loadAfter.map((x) => x.toFixed(2)).join(' ')}\n`);
    console.log('| what | median | min–max | × `docker run … true` |\n|---|---|---|---|');
    for (const name of names) {
      const xs = walls[name];
      console.log(`| ${name} | ${ms(median(xs))} | ${ms(Math.min(...xs))}–${ms(Math.max(...xs))} | ${(median(xs) / bare).toFixed(2)} |`);
    }
    console.log('\n| codex run phase | median |\n|---|---|');
    for (const [phase, xs] of Object.entries(phases)) console.log(`| ${phase} | ${ms(median(xs))} |`);
  } finally {
    await gateway.close();
    await sandboxes.close();
    await removeTestContainers(docker);
    store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
