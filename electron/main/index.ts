import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, safeStorage, session } from 'electron';
import { createEngine } from '../engine/api';
import { resolveDataDir } from '../engine/data-dir';
import { CONTENT_SECURITY_POLICY } from '../engine/server/csp';
import { registerIpcBridge } from './ipc-bridge';
import { startBackgroundApi } from './background-api';
import { keychainVaultKey } from './keychain-key';

const here = path.dirname(fileURLToPath(import.meta.url));
let window: BrowserWindow | null = null;

function createWindow() {
  window = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Jetty Desktop',
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  // Navigation and new windows stay inside the app.
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  if (process.env.ELECTRON_RENDERER_URL) void window.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void window.loadFile(path.join(here, '../renderer/index.html'));
  window.on('closed', () => (window = null));
}

app.whenReady().then(async () => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  const dataDir = resolveDataDir();
  const engine = await createEngine({ dataDir, vaultKey: keychainVaultKey(safeStorage, dataDir) });
  registerIpcBridge(ipcMain, engine.api, engine.bus, () => window?.webContents ?? null);
  const server = await startBackgroundApi(engine, dataDir);
  createWindow();
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow());
  app.on('before-quit', () => void server.close().finally(() => engine.close()));
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
