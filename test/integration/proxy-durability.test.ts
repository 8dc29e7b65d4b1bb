import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../electron/engine/store';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

const FOLDER = 'resources/examples';
let upstream: FakeUpstream;

beforeAll(async () => {
  upstream = await startFakeUpstream({ quiet: true, slowChunkMs: 20, slowChunks: 60 });
});
afterAll(async () => {
  await upstream?.close();
});

const serve = (dataDir: string) =>
  startJettyServe(FOLDER, {
    dataDir,
    fromSource: true,
    timeoutMs: 60_000,
    env: { OPENAI_BASE_URL: upstream.baseUrl, OPENAI_API_KEY: 'sk-durability' },
  });

/** One passthrough call; its trajectory id once the whole 200 answer has arrived, else null. */
async function call(jetty: ServedJetty, model = 'openai/gpt-4o-mini'): Promise<string | null> {
  const res = await fetch(`${jetty.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${jetty.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
  const body = (await res.json()) as { choices?: unknown[] };
  return res.status === 200 && Array.isArray(body.choices) ? res.headers.get('x-jetty-trajectory-id') : null;
}

const exited = (jetty: ServedJetty) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (jetty.child.exitCode !== null || jetty.child.signalCode !== null) resolve({ code: jetty.child.exitCode, signal: jetty.child.signalCode });
    else jetty.child.once('exit', (code, signal) => resolve({ code, signal }));
  });

/** Ids stored in the data dir's store (read through a connection of our own). */
function storedOf(dataDir: string, ids: string[]): string[] {
  const store = openStore(path.join(dataDir, 'jetty.db'));
  try {
    return ids.filter((id) => store.getTrajectory(id) !== null);
  } finally {
    store.close();
  }
}

describe('no acknowledged passthrough call is lost', () => {
  it('kill -9 under ~200 calls/s: after a restart on the same data dir every call answered 200 is stored (5 tries)', async () => {
    const RATE_MS = 5; // one call every 5 ms: ~200/s
    /** The kill comes once this many calls were answered 200, however long a loaded machine takes to get there. */
    const KILL_AFTER_ACKS = 300;
    const MAX_CALLS = 20_000;
    for (let attempt = 1; attempt <= 5; attempt++) {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'jetty-durability-'));
      const first = await serve(dataDir);
      const acked: string[] = [];
      const calls: Promise<void>[] = [];
      const start = Date.now();
      let killed = false;
      // Bounded in count (MAX_CALLS); calls keep coming until the kill, so some are in flight when it lands.
      for (let i = 0; i < MAX_CALLS && !killed; i++) {
        calls.push(call(first).then((id) => void (id && acked.push(id)), () => undefined));
        if (acked.length >= KILL_AFTER_ACKS) killed = first.child.kill('SIGKILL');
        const next = start + (i + 1) * RATE_MS;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
      }
      expect(killed).toBe(true);
      expect(await exited(first)).toMatchObject({ signal: 'SIGKILL' });
      await Promise.all(calls);
      expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

      const second = await serve(dataDir);
      try {
        const stored = new Set(storedOf(dataDir, acked));
        const lost = acked.filter((id) => !stored.has(id));
        expect({ attempt, acknowledged: acked.length, lost }).toEqual({ attempt, acknowledged: acked.length, lost: [] });
      } finally {
        expect(await second.stop()).toBe(0);
      }
    }
  }, 240_000);

  it('SIGTERM lets a call in flight finish, records it, and exits 0', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'jetty-drain-'));
    const jetty = await serve(dataDir);
    try {
      const res = await fetch(`${jetty.origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${jetty.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'openai/gpt-slow', stream: true, messages: [{ role: 'user', content: 'go' }] }),
      });
      expect(res.status).toBe(200);
      const id = res.headers.get('x-jetty-trajectory-id')!;
      const reader = res.body!.getReader();
      let text = new TextDecoder().decode((await reader.read()).value);
      // The stream has started (60 chunks 20 ms apart are still to come): ask the server to stop.
      const stopping = Date.now();
      jetty.child.kill('SIGTERM');
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += new TextDecoder().decode(chunk.value);
      expect(text).toContain('w59 ');
      expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
      expect(await exited(jetty)).toEqual({ code: 0, signal: null });
      expect(Date.now() - stopping).toBeLessThan(15_000);
      expect(storedOf(dataDir, [id])).toEqual([id]);
      const store = openStore(path.join(dataDir, 'jetty.db'));
      expect(store.getTrajectory(id)?.status).toBe('completed');
      store.close();
    } finally {
      await jetty.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
