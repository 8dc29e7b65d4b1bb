import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';

// The preload exposes exactly one object: call a contract method, subscribe to a
// contract event, or read the host path of a file dropped on the window. Names and inputs are validated in the main process against the
// contract's schemas; nothing else crosses the bridge.
const CALL = 'jetty:call';
const EVENT = 'jetty:event';

contextBridge.exposeInMainWorld('jetty', {
  call: (method: string, input: unknown) => ipcRenderer.invoke(CALL, method, input),
  subscribe: (event: string, listener: (payload: unknown) => void) => {
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(EVENT, handler);
    return () => ipcRenderer.removeListener(EVENT, handler);
  },
  pathForFile: (file: File) => webUtils.getPathForFile(file),
});
