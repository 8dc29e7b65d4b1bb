import type { Api } from '../../shared/contract';
import { events, type EventName } from '../../shared/contract';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type IpcCallResult } from '../../shared/ipc-channels';
import { ApiError, dispatch, toWire } from '../../shared/rpc';
import type { EventBus } from '../engine/base/events';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../engine/server/local-server';

/** The structural slice of Electron's ipcMain we use, so this module needs no Electron import. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}
/** The part of an IpcMainInvokeEvent we read: which webContents sent the call. */
export interface IpcInvokeEventLike {
  sender: unknown;
}
export interface WebContentsLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface IpcBridgeOptions {
  ipcMain: IpcMainLike;
  api: Api;
  bus: EventBus;
  /** The app window's webContents (null while there is none): the only caller accepted, the receiver of events. */
  window: () => WebContentsLike | null;
  /** Largest call input, as JSON; the WebSocket transport's message limit by default. */
  maxInputBytes?: number;
}

/**
 * Answers every contract method on one IPC channel and forwards every contract event to
 * the window. A call is refused unless it comes from the window and its input is JSON
 * data within the size limit; then `dispatch` validates it against the contract. Errors
 * go back as `{code, message}` (never a stack). Returns a function that unregisters all.
 */
export function registerIpcBridge(options: IpcBridgeOptions): () => void {
  const maxInputBytes = options.maxInputBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  options.ipcMain.handle(IPC_CALL_CHANNEL, async (event, method, input): Promise<IpcCallResult> => {
    try {
      if (event.sender !== options.window()) throw new ApiError('unauthorized', 'calls are accepted only from the Jetty window');
      checkInputSize(input, maxInputBytes);
      return { ok: true, value: await dispatch(options.api, method, input) };
    } catch (err) {
      return { ok: false, error: toWire(err) };
    }
  });
  const unsubscribe = (Object.keys(events) as EventName[]).map((name) =>
    options.bus.subscribe(name, (payload) => {
      const wc = options.window();
      if (wc && !wc.isDestroyed()) wc.send(IPC_EVENT_CHANNEL, name, payload);
    }),
  );
  return () => {
    options.ipcMain.removeHandler(IPC_CALL_CHANNEL);
    unsubscribe.forEach((off) => off());
  };
}

function checkInputSize(input: unknown, maxBytes: number) {
  let json: string | undefined;
  try {
    json = JSON.stringify(input);
  } catch {
    throw new ApiError('invalid_input', 'input must be JSON data (no cycles or BigInt values)');
  }
  const bytes = json === undefined ? 0 : Buffer.byteLength(json);
  if (bytes > maxBytes) throw new ApiError('invalid_input', `input is ${bytes} bytes; the limit is ${maxBytes}`);
}
