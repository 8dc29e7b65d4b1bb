// Bytes the store takes per model call as a conversation grows: the conversation chain
// (conversations.ts: each message once, one node per prompt entry) against a naive store
// of every call's full prompt and completion, both measured in the same run, in files
// opened with the store's own settings. Each call adds a tool call (the completion, which
// the next prompt re-sends) and its tool result, as an agent's loop does. Bytes are the
// SQLite file plus its WAL after a checkpoint, by page count, less the same file holding
// no conversation. Also the time the chain takes to hash one call (what the gateway's
// hot path pays) at the conversation's end: the median of its last 10 calls.
//   node --import tsx bench/conversation-bytes.mjs [--sizes 10,100,1000]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../electron/engine/store/connection.ts';
import { openStore } from '../electron/engine/store/index.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '10,100,1000' } } });
const SIZES = values.sizes.split(',').map(Number);
const MAX_CALLS = 5_000;
if (SIZES.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_CALLS)) throw new Error(`sizes are 1 to ${MAX_CALLS} calls`);

const dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-bench-conversation-'));
const RUNBOOK = `# Weekly report\n\n${'Run the diagnostics, read their output, and write the report. '.repeat(60)}`;
const head = [
  { role: 'tools', tools: [{ name: 'bash', description: 'Runs a shell command', parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } }] },
  { role: 'system', text: RUNBOOK },
  { role: 'user', content: [{ type: 'text', text: 'Execute the runbook with parameters: results_dir=/app/results' }] },
];
const toolCall = (n) => ({ role: 'assistant', text: '', toolCalls: [{ id: `call_${n}`, name: 'bash', arguments: JSON.stringify({ command: `grep -c ERROR /var/log/app-${n}.log` }) }] });
const toolResult = (n) => ({ role: 'tool', toolCallId: `call_${n}`, name: 'bash', content: `${n % 17} errors in /var/log/app-${n}.log\nlast: 2026-12-01T23:${String(n % 60).padStart(2, '0')}:00Z connection reset by peer\n` });

/** File + WAL bytes after a checkpoint, by page count (what the data takes, not the OS's rounding). */
function bytesOf(db, file) {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pages = db.pragma('page_count', { simple: true });
  const pageSize = db.pragma('page_size', { simple: true });
  const wal = statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  return pages * pageSize + wal;
}

/** The chain, written as the runner writes it: one transaction per call. */
function chainBytes(calls) {
  const file = path.join(dir, `chain-${calls}.db`);
  const store = openStore(file);
  const { id } = store.createTrajectory({ collection: 'bench', task: 'conversation', kind: 'runbook', status: 'running' });
  const conversations = store.conversations();
  const base = (() => {
    const db = openDatabase(file);
    try {
      return bytesOf(db, file);
    } finally {
      db.close();
    }
  })();
  const chain = conversations.chain(id);
  const prompt = [...head];
  const times = [];
  for (let n = 1; n <= calls; n++) {
    const started = performance.now();
    const { rows } = chain.add(prompt, toolCall(n));
    times.push(performance.now() - started);
    conversations.add(id, rows);
    prompt.push(toolCall(n), toolResult(n));
  }
  store.checkpoint();
  store.close();
  const db = openDatabase(file);
  try {
    const last = times.slice(-10).sort((a, b) => a - b);
    return { bytes: bytesOf(db, file) - base, lastCallMs: last[Math.floor(last.length / 2)] };
  } finally {
    db.close();
  }
}

/** Every call's whole prompt and completion as one JSON row: what storing each prompt costs. */
function naiveBytes(calls) {
  const file = path.join(dir, `naive-${calls}.db`);
  const db = openDatabase(file);
  try {
    db.exec('CREATE TABLE naive_calls (trajectory_id TEXT NOT NULL, call INTEGER NOT NULL, prompt TEXT NOT NULL, completion TEXT NOT NULL, PRIMARY KEY (trajectory_id, call)) STRICT, WITHOUT ROWID');
    const base = bytesOf(db, file);
    const insert = db.prepare('INSERT INTO naive_calls VALUES (?, ?, ?, ?)');
    const prompt = [...head];
    for (let n = 1; n <= calls; n++) {
      insert.run('bench0001', n, JSON.stringify(prompt), JSON.stringify(toolCall(n)));
      prompt.push(toolCall(n), toolResult(n));
    }
    return bytesOf(db, file) - base;
  } finally {
    db.close();
  }
}

try {
  console.log('| calls | chain bytes/call | naive bytes/call | naive / chain | chain hash time per call, median of the last 10 |');
  console.log('|---|---|---|---|---|');
  for (const calls of SIZES) {
    const chain = chainBytes(calls);
    const naive = naiveBytes(calls);
    const per = (b) => Math.round(b / calls).toLocaleString('en-US');
    console.log(`| ${calls.toLocaleString('en-US')} | ${per(chain.bytes)} | ${per(naive)} | ${(naive / chain.bytes).toFixed(1)}× | ${chain.lastCallMs.toFixed(2)} ms |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
