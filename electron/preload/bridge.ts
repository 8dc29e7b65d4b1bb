import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type IpcCallResult } from '../../shared/ipc-channels';

/** The slices of Electron's preload modules the bridge uses (structural, so it can be tested without Electron). */
export interface ContextBridgeLike {
  exposeInMainWorld(key: string, api: Record<string, unknown>): void;
}
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}
export interface WebUtilsLike {
  getPathForFile(file: File): string;
}

/** A contract method or event name: dotted camelCase words (`app.info`, `run.event`). The main process checks it against the contract. */
const CONTRACT_NAME = /^[a-z][A-Za-z]{0,63}(\.[a-z][A-Za-z]{0,63}){1,3}$/;

function checkName(kind: 'method' | 'event', name: unknown): asserts name is string {
  if (typeof name !== 'string' || !CONTRACT_NAME.test(name)) throw new TypeError(`not a contract ${kind} name: ${String(name)}`);
}

/**
 * Exposes exactly one object to the page, `window.jetty`: call a contract method,
 * subscribe to a contract event, or read the host path of a file dropped on the window.
 * Calls and events use the two fixed channels; the page picks only the name, which must
 * look like a contract name. Listeners get the payload alone, never Electron's event.
 */
export function exposeJettyBridge(electron: { contextBridge: ContextBridgeLike; ipcRenderer: IpcRendererLike; webUtils: WebUtilsLike }) {
  const { contextBridge, ipcRenderer, webUtils } = electron;
  contextBridge.exposeInMainWorld('jetty', {
    call: async (method: unknown, input: unknown) => {
      checkName('method', method);
      return (await ipcRenderer.invoke(IPC_CALL_CHANNEL, method, input)) as IpcCallResult;
    },
    subscribe: (event: unknown, listener: unknown) => {
      checkName('event', event);
      if (typeof listener !== 'function') throw new TypeError('subscribe needs a listener function');
      const handler = (_e: unknown, name: unknown, payload: unknown) => {
        if (name === event) listener(payload);
      };
      ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
      return () => void ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    },
    pathForFile: (file: File) => webUtils.getPathForFile(file),
  });
}
