import { ApiError, type Transport } from '../../../shared/rpc';

type WireResult = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

/** The one object the Electron preload exposes. */
export interface PreloadBridge {
  call(method: string, input: unknown): Promise<WireResult>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
  /** The host path of a file dropped on the window (Electron only). */
  pathForFile(file: File): string;
}

/** Transport over Electron IPC via the preload bridge. */
export function createIpcTransport(bridge: PreloadBridge): Transport {
  return {
    async call(method, input) {
      const result = await bridge.call(method, input);
      if (result.ok) return result.value;
      throw new ApiError(result.error.code as ApiError['code'], result.error.message);
    },
    subscribe: (event, listener) => bridge.subscribe(event, listener),
  };
}
