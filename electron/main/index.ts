import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session } from 'electron';
import { createEngine } from '../engine/api';
import { resolveDataDir } from '../engine/data-dir';
import { CONTENT_SECURITY_POLICY } from '../engine/server/csp';
import { registerIpcBridge } from './ipc-bridge';
import { startBackgroundApi } from './background-api';
import { keychainVaultKey } from './keychain-key';
import { isPermissionAllowed, lockNavigation } from './content-guards';
import { mainWindowOptions } from './window-options';

const here = path.dirname(fileURLToPath(import.meta.url));
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
  const engine = await createEngine({ dataDir, vaultKey: keychainVaultKey(safeStorage, dataDir) });
  registerIpcBridge({ ipcMain, api: engine.api, bus: engine.bus, window: () => window?.webContents ?? null });
  const server = await startBackgroundApi(engine, dataDir);
  createWindow();
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow());
  app.on('before-quit', () => void server.close().finally(() => engine.close()));
}).catch(failStartup);

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
