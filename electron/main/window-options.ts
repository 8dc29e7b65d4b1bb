import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The app window's options. The renderer is web content with no Node: context isolation
 * (the preload's one object is all it sees), the Chromium sandbox, no Node integration
 * anywhere (workers, sub-frames), web security on, no <webview>.
 */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    title: 'Jetty Desktop',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    },
  };
}
