import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingStatus } from '../../shared/contract';
import { createEngine, type Engine } from '../../electron/engine/api';
import { createLocalServer, type LocalServer } from '../../electron/engine/server/local-server';
import { openStore } from '../../electron/engine/store';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream';

const TOKEN = 'recording-failures-token';
let upstream: FakeUpstream;

beforeAll(async () => {
  upstream = await startFakeUpstream({ quiet: true });
});
afterAll(async () => {
  await upstream?.close();
});

async function engineWithServer(dataDir: string): Promise<{ engine: Engine; server: LocalServer }> {
  const engine = await createEngine({ dataDir, env: { OPENAI_BASE_URL: upstream.baseUrl, OPENAI_API_KEY: 'sk-failures' } });
  const server = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: engine.routes });
  return { engine, server };
}

async function call(server: LocalServer, model: string): Promise<{ status: number; id: string | null; body: string }> {
  const res = await fetch(`${server.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
  return { status: res.status, id: res.headers.get('x-jetty-trajectory-id'), body: await res.text() };
}

const health = async (server: LocalServer): Promise<{ recording: RecordingStatus }> =>
  (await fetch(`${server.origin}/api/health`, { headers: { authorization: `Bearer ${TOKEN}` } })).json() as Promise<{ recording: RecordingStatus }>;

/** Resolves with the first recording status `accept` takes (from the engine's `recording.changed` events). */
const statusWhere = (engine: Engine, accept: (s: RecordingStatus) => boolean, ms = 20_000) =>
  new Promise<RecordingStatus>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no such recording status within ${ms} ms`)), ms);
    const off = engine.bus.subscribe('recording.changed', (status) => {
      if (!accept(status)) return;
      clearTimeout(timer);
      off();
      resolve(status);
    });
  });

describe('recording failures are isolated, counted and reported', () => {
  it('one call whose answer nests 100,000 levels deep among 80: all 80 recorded, the deep one with its bodies as text', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jetty-isolation-'));
    const { engine, server } = await engineWithServer(dataDir);
    const results = await Promise.all(
      Array.from({ length: 80 }, (_, i) => call(server, i === 40 ? 'openai/gpt-deep' : 'openai/gpt-4o-mini')),
    );
    expect(results.map((r) => r.status)).toEqual(Array(80).fill(200));
    await server.close();
    await engine.close();

    const store = openStore(path.join(dataDir, 'jetty.db'));
    try {
      const ids = results.map((r) => r.id!);
      expect(ids.filter((id) => store.getTrajectory(id) === null)).toEqual([]);
      const deep = store.getTrajectory(ids[40])!;
      expect(deep.status).toBe('completed');
      const response = deep.steps.completion.outputs.response;
      expect(typeof response).toBe('string');
      expect((response as string).startsWith('{"id":"chatcmpl-fake"')).toBe(true);
      expect(typeof store.getTrajectory(ids[0])!.steps.completion.outputs.response).toBe('object');
    } finally {
      store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a full disk: 507 to new callers, no crash, failures counted in the status, nothing answered 200 lost', async (ctx) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jetty-full-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dataDir], { stdio: 'pipe' });
    } catch (error) {
      rmSync(dataDir, { recursive: true, force: true });
      console.warn(`skipped: cannot mount a tmpfs (${(error as Error).message.split('\n')[0]})`);
      return ctx.skip();
    }
    const { engine, server } = await engineWithServer(dataDir);
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await server.close();
      await engine.close();
    };
    const filler = path.join(dataDir, 'filler');
    try {
      const before = await Promise.all(Array.from({ length: 5 }, () => call(server, 'openai/gpt-4o-mini')));
      expect(before.map((r) => r.status)).toEqual(Array(5).fill(200));

      // Fill the disk to the last byte.
      const fd = openSync(filler, 'w');
      const block = Buffer.alloc(64 * 1024, 1);
      try {
        for (let i = 0; i < 1024; i++) writeSync(fd, block);
        throw new Error('the 8 MiB tmpfs never filled up');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
      for (let size = 4096; size >= 1; size = Math.floor(size / 2)) {
        try {
          for (let i = 0; i < 64; i++) writeSync(fd, Buffer.alloc(size, 1));
        } catch {
          // full at this size: try a smaller one
        }
      }
      closeSync(fd);

      // Calls still fit in the journal's last page until one does not (bounded: 200 calls).
      const fitted = [];
      let refused = await call(server, 'openai/gpt-4o-mini');
      for (let i = 0; i < 200 && refused.status === 200; i++) {
        fitted.push(refused);
        refused = await call(server, 'openai/gpt-4o-mini');
      }
      expect(refused.status).toBe(507);
      expect(refused.body).toMatch(/not recorded: cannot write the journal .*ENOSPC/);
      const later = await Promise.all(Array.from({ length: 5 }, () => call(server, 'openai/gpt-4o-mini')));
      expect(later.map((r) => r.status)).toEqual(Array(5).fill(507));
      expect(later[0].body).toMatch(/disk holding .* is full/);
      const full = await health(server);
      expect(full.recording).toMatchObject({ diskFull: true });
      expect(full.recording.failed).toBeGreaterThanOrEqual(1);
      expect(full.recording.lastFailure?.reason).toMatch(/ENOSPC/);

      // Room again: calls are taken and recorded again (bounded: 100 tries, 10 s).
      rmSync(filler);
      const recovered = statusWhere(engine, (s) => !s.diskFull && s.recorded >= before.length + fitted.length + 1);
      let after = await call(server, 'openai/gpt-4o-mini');
      for (let i = 0; i < 100 && after.status !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        after = await call(server, 'openai/gpt-4o-mini');
      }
      expect(after.status).toBe(200);
      await recovered;
      await close();

      const store = openStore(path.join(dataDir, 'jetty.db'));
      const answered = [...before, ...fitted, after].map((r) => r.id!);
      expect(answered.filter((id) => store.getTrajectory(id) === null)).toEqual([]);
      store.close();
    } finally {
      await close();
      execFileSync('umount', [dataDir]);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
