import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Api } from '../../shared/contract';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../shared/ipc-channels';
import { createEngine, type Engine } from '../engine/api';
import { registerIpcBridge, type IpcInvokeEventLike, type IpcMainLike, type WebContentsLike } from './ipc-bridge';

type Listener = (event: IpcInvokeEventLike, ...args: unknown[]) => unknown;

/** ipcMain as the bridge sees it; `invoke` crosses the boundary as Electron does, by structured clone. */
function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`a handler for '${channel}' is already registered`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => void handlers.delete(channel),
  };
  const invoke = async (sender: unknown, ...args: unknown[]) => {
    const handler = handlers.get(IPC_CALL_CHANNEL);
    if (!handler) throw new Error('no handler');
    return structuredClone(await handler({ sender }, ...structuredClone(args)));
  };
  return { ipcMain, handlers, invoke };
}

function fakeWebContents() {
  const sent: unknown[][] = [];
  let destroyed = false;
  const wc: WebContentsLike = { send: (...args) => void sent.push(args), isDestroyed: () => destroyed };
  return { wc, sent, destroy: () => (destroyed = true) };
}

/** The engine's api with a record of which methods were called; `failures` make a method throw instead. */
function recorded(api: Api, failures: Record<string, unknown>) {
  const called: string[] = [];
  const proxy = new Proxy(api, {
    get: (target, name: string) => async (input: unknown) => {
      called.push(name);
      if (name in failures) throw failures[name];
      return (target[name as keyof Api] as (i: unknown) => Promise<unknown>)(input);
    },
  });
  return { api: proxy, called };
}

describe('the IPC bridge between the window and the engine', () => {
  let engine: Engine;
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'jetty-ipc-'));
    engine = await createEngine({ dataDir, env: {} });
  });
  afterEach(async () => {
    await engine.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  function bridge(options: { maxInputBytes?: number } = {}, failures: Record<string, unknown> = {}) {
    const ipc = fakeIpcMain();
    const window = fakeWebContents();
    let current: WebContentsLike | null = window.wc;
    const { api, called } = recorded(engine.api, failures);
    const unregister = registerIpcBridge({ ipcMain: ipc.ipcMain, api, bus: engine.bus, window: () => current, ...options });
    return { ...ipc, window, called, unregister, setWindow: (wc: WebContentsLike | null) => (current = wc) };
  }

  it('answers a valid call from the window with the engine handler’s value', async () => {
    const b = bridge();
    const result = await b.invoke(b.window.wc, 'app.info', {});
    expect(result).toEqual({ ok: true, value: { version: expect.any(String), dataDir } });
    expect(b.called).toEqual(['app.info']);
    const page = await b.invoke(b.window.wc, 'trajectory.list', { limit: 5 });
    expect(page).toMatchObject({ ok: true, value: { trajectories: [], total: 0, limit: 5, page: 1 } });
  });

  it.each([
    ['an unknown method', 'app.shutdown', {}, 'unknown_method', 'unknown method: app.shutdown'],
    ['a method name that is not a string', 42, {}, 'unknown_method', 'unknown method: 42'],
    ['an inherited property as method name', 'constructor', {}, 'unknown_method', 'unknown method: constructor'],
    ['a string payload', 'trajectory.get', 'deadbeef', 'invalid_input', 'trajectory.get: input:'],
    ['an array payload', 'trajectory.get', ['deadbeef'], 'invalid_input', 'trajectory.get: input:'],
    ['a schema violation', 'trajectory.get', { id: '../../etc' }, 'invalid_input', 'trajectory.get: id: a trajectory id is 8 hex characters'],
    ['a wrong type', 'trajectory.list', { limit: 'all' }, 'invalid_input', 'trajectory.list: limit:'],
    ['an out-of-range number', 'trajectory.list', { limit: 1_000_000 }, 'invalid_input', 'trajectory.list: limit:'],
  ])('refuses %s with an error object, never reaching the engine', async (_what, method, input, code, message) => {
    const b = bridge();
    const result = (await b.invoke(b.window.wc, method, input)) as { ok: boolean; error: { code: string; message: string } };
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe(code);
    expect(result.error.message).toContain(message);
    expect(b.called).toEqual([]);
  });

  it('refuses an input larger than the limit, measured as JSON', async () => {
    const b = bridge({ maxInputBytes: 1024 });
    const document = { text: 'x'.repeat(2000) };
    const result = await b.invoke(b.window.wc, 'trajectory.import', { document });
    expect(result).toEqual({ ok: false, error: { code: 'invalid_input', message: 'input is 2024 bytes; the limit is 1024' } });
    expect(b.called).toEqual([]);
  });

  it('refuses input that is not JSON data', async () => {
    const b = bridge();
    const looped: Record<string, unknown> = {};
    looped.self = looped;
    const result = await b.invoke(b.window.wc, 'trajectory.import', { document: looped });
    expect(result).toEqual({ ok: false, error: { code: 'invalid_input', message: 'input must be JSON data (no cycles or BigInt values)' } });
    expect(b.called).toEqual([]);
  });

  it('refuses calls from any webContents but the window’s, and all calls while there is no window', async () => {
    const b = bridge();
    const stranger = fakeWebContents();
    const refused = { ok: false, error: { code: 'unauthorized', message: 'calls are accepted only from the Jetty window' } };
    expect(await b.invoke(stranger.wc, 'app.info', {})).toEqual(refused);
    b.setWindow(null);
    expect(await b.invoke(b.window.wc, 'app.info', {})).toEqual(refused);
    expect(b.called).toEqual([]);
  });

  it('returns engine errors as {code, message} only: an unexpected one as failed, without its stack', async () => {
    const crash = new TypeError('cannot read properties of undefined');
    const b = bridge({}, { 'app.info': crash, 'settings.get': 'a thrown string' });
    const failed = (await b.invoke(b.window.wc, 'app.info', {})) as { ok: false; error: Record<string, unknown> };
    expect(failed).toEqual({ ok: false, error: { code: 'failed', message: 'cannot read properties of undefined' } });
    expect(crash.stack).toContain('ipc-bridge.test.ts');
    expect(await b.invoke(b.window.wc, 'settings.get', {})).toEqual({ ok: false, error: { code: 'failed', message: 'a thrown string' } });

    const notFound = await b.invoke(b.window.wc, 'trajectory.get', { id: 'deadbeef' });
    expect(notFound).toEqual({ ok: false, error: { code: 'not_found', message: expect.stringContaining('deadbeef') } });
    expect(b.called).toEqual(['app.info', 'settings.get', 'trajectory.get']);
  });

  it('forwards contract events to the live window only, and stops when unregistered', () => {
    const b = bridge();
    engine.bus.emit('runbook.changed', { path: '/w/a/RUNBOOK.md' });
    expect(b.window.sent).toEqual([[IPC_EVENT_CHANNEL, 'runbook.changed', { path: '/w/a/RUNBOOK.md' }]]);

    b.window.destroy();
    engine.bus.emit('runbook.changed', { path: '/w/b/RUNBOOK.md' });
    b.setWindow(null);
    engine.bus.emit('runbook.changed', { path: '/w/c/RUNBOOK.md' });
    const next = fakeWebContents();
    b.setWindow(next.wc);
    engine.bus.emit('trajectories.added', { ids: ['0123abcd'] });
    expect(b.window.sent).toHaveLength(1);
    expect(next.sent).toEqual([[IPC_EVENT_CHANNEL, 'trajectories.added', { ids: ['0123abcd'] }]]);

    b.unregister();
    engine.bus.emit('trajectories.added', { ids: ['4567cdef'] });
    expect(next.sent).toHaveLength(1);
    expect(b.handlers.has(IPC_CALL_CHANNEL)).toBe(false);
  });
});
