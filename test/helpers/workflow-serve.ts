/** A serving Jetty process over a data dir (test/integration/workflow-serve-child.ts), for tests that kill -9 it. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { waitFor } from './cli';
import type { Json } from './workflow-engine';

const CHILD = path.resolve(import.meta.dirname, '../integration/workflow-serve-child.ts');
const TOKEN = 'crash-test-token';

export interface ServingJetty {
  child: ChildProcess;
  /** Where it listens (`http://127.0.0.1:<port>`). */
  origin: string;
  /** How long `GET /api/health` takes to answer now, in ms (what a blocked event loop shows from outside). */
  healthLatency(): Promise<number>;
  /** What it printed, line by line (`listening …`, `frozen`). */
  lines: string[];
  /** The signal or exit code it ended with. */
  exited: Promise<NodeJS.Signals | number | null>;
  /** Calls its `/api/v1` with the token: JSON bodies, or FormData as multipart. */
  call(method: string, pathname: string, body?: unknown): Promise<Json>;
}

/** Every serving process started, so a test's teardown can kill what a failed assertion left. */
export const servingProcesses: ChildProcess[] = [];

/**
 * Starts the serving process over `dataDir` with `env` added to this one's; resolves once it
 * listens. `freezeWhen`: see workflow-serve-child.ts.
 */
export async function serve(dataDir: string, env: Record<string, string>, freezeWhen?: object): Promise<ServingJetty> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, TOKEN], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { ...process.env, ...env, FREEZE_WHEN: freezeWhen ? JSON.stringify(freezeWhen) : '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  servingProcesses.push(child);
  const lines: string[] = [];
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
  await waitFor(() => lines.some((l) => l.startsWith('listening ')) || child.exitCode !== null, 'the serving process to listen');
  const origin = lines.find((l) => l.startsWith('listening '))!.slice('listening '.length);
  const call = async (method: string, pathname: string, body?: unknown) => {
    const res = await fetch(`${origin}/api/v1${pathname}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}) },
      body: body instanceof FormData ? body : body ? JSON.stringify(body) : undefined,
    });
    return (await res.json()) as Json;
  };
  const healthLatency = async () => {
    const started = performance.now();
    const res = await fetch(`${origin}/api/health`, { headers: { authorization: `Bearer ${TOKEN}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`/api/health answered ${res.status}`);
    return performance.now() - started;
  };
  return { child, origin, healthLatency, lines, exited, call };
}

/** Kills every serving process still running (a test's teardown). */
export function killServingProcesses(): void {
  for (const child of servingProcesses) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Polls a trajectory over REST until it has ended (bounded by `timeoutMs`). */
export async function finished(jetty: ServingJetty, pathname: string, timeoutMs = 60_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const t = await jetty.call('GET', pathname);
    if (['completed', 'failed', 'cancelled'].includes(t.status)) return t;
    if (Date.now() > deadline) throw new Error(`still ${t.status} after ${timeoutMs} ms: ${JSON.stringify(t).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Creates the workflow task `wf/<task>` and starts it with `/run`; returns the workflow id. */
export async function runAsync(jetty: ServingJetty, task: string, workflow: unknown): Promise<string> {
  await jetty.call('POST', '/collections/', { name: 'wf' });
  const created = await jetty.call('POST', '/tasks/wf', { name: task, workflow });
  if (!created.name) throw new Error(JSON.stringify(created));
  const form = new FormData();
  form.set('init_params', '{}');
  const started = await jetty.call('POST', `/run/wf/${task}`, form);
  if (!started.workflow_id) throw new Error(JSON.stringify(started));
  return started.workflow_id;
}

/** SQLite's integrity_check of a store file. */
export function integrity(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}
