import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../shared/ipc-channels';
import { exposeJettyBridge, type IpcRendererLike } from './bridge';

interface Exposed {
  call(method: unknown, input: unknown): Promise<unknown>;
  subscribe(event: unknown, listener: unknown): () => void;
  pathForFile(file: File): string;
}

/** The preload's Electron modules: contextBridge records what reaches the page; ipcRenderer is an EventEmitter, as Electron's is. */
function preload() {
  const exposed: [string, Record<string, unknown>][] = [];
  const invoked: unknown[][] = [];
  const emitter = new EventEmitter();
  const ipcRenderer: IpcRendererLike = {
    invoke: async (...args) => {
      invoked.push(args);
      return { ok: true, value: { echoed: args.slice(1) } };
    },
    on: (channel, listener) => emitter.on(channel, listener),
    removeListener: (channel, listener) => emitter.removeListener(channel, listener),
  };
  const files = new Map<File, string>();
  exposeJettyBridge({
    contextBridge: { exposeInMainWorld: (key, api) => void exposed.push([key, api]) },
    ipcRenderer,
    webUtils: { getPathForFile: (file) => files.get(file) ?? '' },
  });
  const jetty = exposed[0]?.[1] as unknown as Exposed;
  const fromMain = (...args: unknown[]) => emitter.emit(IPC_EVENT_CHANNEL, { sender: 'the ipcRenderer event' }, ...args);
  return { exposed, invoked, emitter, files, jetty, fromMain };
}

describe('the preload bridge', () => {
  it('exposes exactly one object, window.jetty, with call, subscribe and pathForFile', () => {
    const { exposed } = preload();
    expect(exposed.map(([key]) => key)).toEqual(['jetty']);
    const api = exposed[0][1];
    expect(Object.keys(api).sort()).toEqual(['call', 'pathForFile', 'subscribe']);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('sends a call on the one call channel and returns the main process’s answer', async () => {
    const { jetty, invoked } = preload();
    expect(await jetty.call('trajectory.get', { id: 'deadbeef' })).toEqual({ ok: true, value: { echoed: ['trajectory.get', { id: 'deadbeef' }] } });
    expect(await jetty.call('localApi.info', undefined)).toMatchObject({ ok: true });
    expect(invoked).toEqual([
      [IPC_CALL_CHANNEL, 'trajectory.get', { id: 'deadbeef' }],
      [IPC_CALL_CHANNEL, 'localApi.info', undefined],
    ]);
  });

  it.each([[IPC_EVENT_CHANNEL], ['jetty:call'], [42], [null], ['__proto__'], ['app.info\n'], ['app'], ['App.Info'], [`app.${'x'.repeat(100)}`]])(
    'refuses to call %j, sending nothing',
    async (method) => {
      const { jetty, invoked } = preload();
      await expect(jetty.call(method, {})).rejects.toThrow(/^not a contract method name: /);
      expect(invoked).toEqual([]);
    },
  );

  it('gives a subscriber the payloads of its event only, never the IPC event, until it unsubscribes', () => {
    const { jetty, emitter, fromMain } = preload();
    const got: unknown[][] = [];
    const off = jetty.subscribe('runbook.changed', (...args: unknown[]) => got.push(args));
    fromMain('runbook.changed', { path: '/w/a/RUNBOOK.md' });
    fromMain('trajectories.added', { ids: ['0123abcd'] });
    expect(got).toEqual([[{ path: '/w/a/RUNBOOK.md' }]]);
    expect(emitter.listenerCount(IPC_EVENT_CHANNEL)).toBe(1);
    off();
    expect(emitter.listenerCount(IPC_EVENT_CHANNEL)).toBe(0);
    fromMain('runbook.changed', { path: '/w/b/RUNBOOK.md' });
    expect(got).toHaveLength(1);
  });

  it('refuses a subscription to a name that is not an event name, or without a listener', () => {
    const { jetty, emitter } = preload();
    expect(() => jetty.subscribe('jetty:event', () => undefined)).toThrow('not a contract event name: jetty:event');
    expect(() => jetty.subscribe({ toString: () => 'run.event' }, () => undefined)).toThrow('not a contract event name');
    expect(() => jetty.subscribe('run.event', 'console.log')).toThrow('subscribe needs a listener function');
    expect(emitter.listenerCount(IPC_EVENT_CHANNEL)).toBe(0);
  });

  it('reads a dropped file’s host path through webUtils', () => {
    const { jetty, files } = preload();
    const file = new File(['# hi'], 'RUNBOOK.md');
    files.set(file, '/home/me/RUNBOOK.md');
    expect(jetty.pathForFile(file)).toBe('/home/me/RUNBOOK.md');
  });
});
