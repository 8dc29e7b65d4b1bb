// Passthrough recording as the database grows: what the recording thread spends per call
// (`storeCalls`: summarise the captured bytes, shape the trajectory, validate, insert its
// trajectory, step and event rows; one transaction per batch) vs a raw better-sqlite3 loop
// inserting the same three rows into the same schema (parsing and serialising the same
// JSON, as any recorder must), both growing their own file block by block, in one run.
// Run: node --import tsx bench/record.mjs [blocks] [calls-per-block]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { storeCalls } from '../electron/engine/proxy/record-to-store.ts';
import { openDatabase } from '../electron/engine/store/connection.ts';
import { randomTrajectoryId } from '../electron/engine/store/ids.ts';
import { openStore } from '../electron/engine/store/index.ts';

const BLOCKS = Number(process.argv[2] ?? 8);
const PER_BLOCK = Number(process.argv[3] ?? 20_000);
/** Calls per transaction: what the recording thread stores per 500 ms at ~2,000 calls/s. */
const BATCH = 1000;

const encoder = new TextEncoder();
/** The bench proxy's request and the fake upstream's answer (`bench/proxy.mjs`). */
const REQUEST = encoder.encode(
  JSON.stringify({ model: 'openai/gpt-4o-mini', stream: false, messages: [{ role: 'user', content: 'Say hello in five words.' }] }),
);
const RESPONSE = encoder.encode(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the fake upstream' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
  }),
);
/** Ids never repeat across the run (random 32-bit ids meet after ~77,000 draws). */
const used = new Set();
const uniqueId = () => {
  let id;
  do id = randomTrajectoryId();
  while (used.has(id));
  used.add(id);
  return id;
};
const capturedCall = () => {
  const now = Date.now();
  return { id: uniqueId(), provider: 'openai', model: 'openai/gpt-4o-mini', stream: false, request: REQUEST, status: 200, chunks: [RESPONSE], cancelled: false, startedAt: now - 1, firstByteAt: null, endedAt: now };
};

const dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-bench-record-'));

function storeSide() {
  const store = openStore(path.join(dir, 'store.db'));
  return (count) => {
    for (let done = 0; done < count; done += BATCH) storeCalls(store, Array.from({ length: BATCH }, capturedCall));
  };
}

function rawSide() {
  const file = path.join(dir, 'raw.db');
  openStore(file).close(); // the schema
  const db = openDatabase(file);
  const trajectory = db.prepare(
    "INSERT INTO trajectories (id, collection, task, kind, status, init_params, model, created_at, started_at, ended_at, prompt_tokens, completion_tokens, total_tokens) VALUES (?, 'passthrough', 'openai', 'passthrough', 'completed', ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  // Columns named, so a column added by a migration does not break the reference side.
  const step = db.prepare("INSERT INTO steps (trajectory_id, name, position, status, inputs, outputs, started_at, ended_at) VALUES (?, 'completion', 0, 'completed', ?, ?, ?, ?)");
  const event = db.prepare("INSERT INTO events (trajectory_id, seq, time, level, type, step, payload) VALUES (?, 1, ?, 'info', 'model_call', 'completion', ?)");
  const insert = db.transaction((calls) => {
    for (const call of calls) {
      const request = JSON.parse(Buffer.from(call.request).toString('utf8'));
      const response = JSON.parse(Buffer.from(call.chunks[0]).toString('utf8'));
      const started = new Date(call.startedAt).toISOString();
      const ended = new Date(call.endedAt).toISOString();
      const { prompt_tokens: p, completion_tokens: c, total_tokens: t } = response.usage;
      trajectory.run(call.id, JSON.stringify({ model: call.model, stream: false }), call.model, started, started, ended, p, c, t);
      step.run(call.id, JSON.stringify({ request }), JSON.stringify({ response, http_status: 200 }), started, ended);
      event.run(call.id, ended, JSON.stringify({ provider: call.provider, model: call.model, usage: response.usage }));
    }
  });
  return (count) => {
    for (let done = 0; done < count; done += BATCH) insert(Array.from({ length: BATCH }, capturedCall));
  };
}

/** CPU time (user + system) per call of one block, µs. */
function timeBlock(write) {
  const before = process.cpuUsage();
  write(PER_BLOCK);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / PER_BLOCK;
}

const sides = { store: storeSide(), raw: rawSide() };
const perBlock = [];
for (let block = 0; block < BLOCKS; block++) {
  // Alternate the order so neither side always runs on a warmer or cooler machine.
  const order = block % 2 ? ['store', 'raw'] : ['raw', 'store'];
  const row = {};
  for (const name of order) row[name] = timeBlock(sides[name]);
  perBlock.push(row);
}
rmSync(dir, { recursive: true, force: true });

console.log(`${BLOCKS} blocks of ${PER_BLOCK} calls, ${BATCH} calls per transaction; CPU µs per call`);
console.log('| rows after block | store | raw | store/raw |');
console.log('|---|---|---|---|');
perBlock.forEach(({ store, raw }, i) =>
  console.log(`| ${((i + 1) * PER_BLOCK).toLocaleString('en')} | ${store.toFixed(1)} | ${raw.toFixed(1)} | ${(store / raw).toFixed(2)} |`),
);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const growth = (name) => perBlock.at(-1)[name] / perBlock[0][name];
console.log(`store/raw: ${median(perBlock.map((b) => b.store / b.raw)).toFixed(2)} (median over blocks)`);
console.log(`growth, last block / first: store ${growth('store').toFixed(2)}, raw ${growth('raw').toFixed(2)}`);
