import type { Api } from '../../shared/contract';
import { events } from '../../shared/contract';
import { dispatch, toWire } from '../../shared/rpc';
import type { EventBus } from '../engine/events';

/** The structural slice of Electron's ipcMain we use, so this module needs no Electron import. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: unknown, ...args: unknown[]) => unknown): void;
}
export interface WebContentsLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

/** Registers every contract method on one IPC channel and forwards every contract event. */
export function registerIpcBridge(ipcMain: IpcMainLike, api: Api, bus: EventBus, target: () => WebContentsLike | null) {
  ipcMain.handle('jetty:call', async (_event, method, input) => {
    try {
      return { ok: true, value: await dispatch(api, method, input) };
    } catch (err) {
      return { ok: false, error: toWire(err) };
    }
  });
  for (const name of Object.keys(events) as (keyof typeof events)[]) {
    bus.subscribe(name, (payload) => {
      const wc = target();
      if (wc && !wc.isDestroyed()) wc.send('jetty:event', name, payload);
    });
  }
}
