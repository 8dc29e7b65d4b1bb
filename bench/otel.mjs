// What tracing costs a run: the same workflow run (a text_echo step, then two litellm_chat model
// calls to the scripted model server through the in-process relay, so each trace has an
// invoke_workflow span and two chat spans) on four engines in one process: no collector; a dead
// collector (a loopback port nothing listens on: refused at once); a black-hole collector (a
// loopback socket that accepts and never answers: every export waits out its bound); and a live
// OTLP receiver. Run time from start to its trajectory's end, p50 and p95 over the runs, rounds
// rotating the engines' order; then what the exporters sent, dropped and failed.
//
//   node --import tsx bench/otel.mjs [runs per engine per round, 100] [rounds, 5]
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../electron/engine/api.ts';
import { freePort } from '../test/helpers/free-port.ts';
import { startOtlpReceiver } from '../test/helpers/otlp-receiver.ts';
import { reply, startScriptedModelServer } from '../test/helpers/scripted-model-server.ts';

const RUNS = Number(process.argv[2] ?? 100);
const ROUNDS = Number(process.argv[3] ?? 5);
const root = mkdtempSync(path.join(os.tmpdir(), 'jetty-bench-otel-'));
const DOCUMENT = {
  init_params: { question: 'ping' },
  step_configs: {
    echo: { activity: 'text_echo', text_path: 'init_params.question' },
    a: { activity: 'litellm_chat', model: 'openai/model-a', prompt: 'A: {{ init_params.question }}' },
    b: { activity: 'litellm_chat', model: 'openai/model-b', prompt: 'B: {{ init_params.question }}' },
  },
  steps: ['echo', 'a', 'b'],
};
const pct = (values, p) => [...values].sort((x, y) => x - y)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];

const model = await startScriptedModelServer(() => reply('pong', { usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 } }));
const receiver = await startOtlpReceiver();
const blackHole = net.createServer(() => undefined);
await new Promise((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
const targets = {
  'no collector': undefined,
  'dead collector': `http://127.0.0.1:${await freePort()}`,
  'black-hole collector': `http://127.0.0.1:${blackHole.address().port}`,
  'live collector': receiver.url,
};
const engines = {};
for (const [name, endpoint] of Object.entries(targets)) {
  engines[name] = await createEngine({ dataDir: path.join(root, name.replace(/\W/g, '-')), otlpEndpoint: endpoint, env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-bench' } });
}
const times = Object.fromEntries(Object.keys(targets).map((n) => [n, []]));
async function oneRun(engine) {
  const started = performance.now();
  const t = await engine.workflows.start({ collection: 'bench', task: 'otel', document: DOCUMENT }).done;
  if (t.status !== 'completed') throw new Error(`run ${t.id} ended ${t.status}: ${t.error}`);
  return performance.now() - started;
}
const names = Object.keys(targets);
for (const name of names) for (let i = 0; i < 10; i++) await oneRun(engines[name]); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  const order = names.map((_, i) => names[(i + round) % names.length]);
  for (const name of order) for (let i = 0; i < RUNS; i++) times[name].push(await oneRun(engines[name]));
}
console.log(`run time, ${RUNS} runs × ${ROUNDS} rounds per engine (ms)`);
console.log(`${'engine'.padEnd(22)} ${'p50'.padStart(7)} ${'p95'.padStart(7)}  vs none (p50)`);
const base = pct(times['no collector'], 50);
for (const name of names) {
  const p50 = pct(times[name], 50);
  console.log(`${name.padEnd(22)} ${p50.toFixed(2).padStart(7)} ${pct(times[name], 95).toFixed(2).padStart(7)}  ${(p50 - base >= 0 ? '+' : '')}${(p50 - base).toFixed(2)}`);
}
await new Promise((resolve) => setTimeout(resolve, 300));
console.log('\nexporters after the runs (spans):');
for (const name of names.slice(1)) {
  const s = engines[name].traces.stats();
  console.log(`${name.padEnd(22)} sent ${s.sent}, queued ${s.queued}, in flight ${s.sending}, dropped ${s.dropped}, failed requests ${s.failedRequests}${s.lastError ? ` (${s.lastError})` : ''}`);
}
console.log(`live receiver got ${receiver.spans.length} spans in ${receiver.requests} requests`);
for (const engine of Object.values(engines)) await engine.close();
blackHole.close();
await receiver.close();
await model.close();
rmSync(root, { recursive: true, force: true });
process.exit(0);
