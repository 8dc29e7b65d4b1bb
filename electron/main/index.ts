import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session } from 'electron';
import { createEngine } from '../engine/api';
import { resolveDataDir } from '../engine/base/data-dir';
import { CONTENT_SECURITY_POLICY } from '../engine/server/csp';
import { registerIpcBridge } from './ipc-bridge';
import { startBackgroundApi } from './background-api';
import { keychainVaultKey } from './keychain-key';
import { isPermissionAllowed, lockNavigation } from './content-guards';
import { mainWindowOptions } from './window-options';

const here = path.dirname(fileURLToPath(import.meta.url));
/** On quit: how long requests in flight may take, and the most closing the engine may take in all. */
const QUIT_DRAIN_MS = 3000;
const QUIT_BOUND_MS = 5000;
let window: BrowserWindow | null = null;

function createWindow() {
  window = new BrowserWindow(mainWindowOptions(path.join(here, '../preload/index.cjs')));
  lockNavigation(window.webContents);
  if (process.env.ELECTRON_RENDERER_URL) void window.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void window.loadFile(path.join(here, '../renderer/index.html'));
  window.on('closed', () => (window = null));
}

/** A start-up failure (a vault key the keychain can't open, an unreadable store) is shown, not a window that never opens. */
function failStartup(err: unknown) {
  dialog.showErrorBox('Jetty Desktop could not start', err instanceof Error ? err.message : String(err));
  app.exit(1);
}

app.whenReady().then(async () => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, permission, grant) => grant(isPermissionAllowed(permission)));
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => isPermissionAllowed(permission));
  const dataDir = resolveDataDir();
  const engine = await createEngine({ dataDir, vaultKey: keychainVaultKey(safeStorage, dataDir), hostInputFiles: true });
  registerIpcBridge({ ipcMain, api: engine.api, bus: engine.bus, window: () => window?.webContents ?? null });
  const server = await startBackgroundApi(engine, dataDir);
  createWindow();
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow());
  app.once('before-quit', (event) => {
    // Quit waits (bounded) for requests in flight and for the recording to be flushed.
    event.preventDefault();
    const bound = new Promise((resolve) => setTimeout(resolve, QUIT_BOUND_MS));
    const stop = server.close({ drainMs: QUIT_DRAIN_MS }).finally(() => engine.close());
    void Promise.race([stop, bound]).catch((error: unknown) => console.error('Closing the engine failed:', error)).finally(() => app.exit());
  });
}).catch(failStartup);

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
