/** The slice of Electron's WebContents the guards use (structural, so no Electron import). */
export interface GuardedContentsLike {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: string, listener: (event: { preventDefault(): void }) => void): void;
}

/** Keeps the window on the app: no new windows, no navigation away, no <webview>. */
export function lockNavigation(contents: GuardedContentsLike): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * The one permission the renderer may have: writing text to the clipboard (Settings'
 * copy buttons). Camera, microphone, notifications, geolocation and the rest are refused.
 */
export const isPermissionAllowed = (permission: string): boolean => permission === 'clipboard-sanitized-write';
