import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../engine/server/csp';
import { isPermissionAllowed, lockNavigation, type GuardedContentsLike } from './content-guards';
import { mainWindowOptions } from './window-options';

describe('the app window’s security settings', () => {
  it('runs the renderer isolated, sandboxed and without Node, with the given preload', () => {
    const prefs = mainWindowOptions('/app/out/preload/index.cjs').webPreferences;
    expect(prefs).toEqual({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
  });

  it('denies new windows and blocks navigation and <webview> attachment', () => {
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    const listeners = new Map<string, (event: { preventDefault(): void }) => void>();
    const contents: GuardedContentsLike = {
      setWindowOpenHandler: (handler) => (openHandler = handler),
      on: (event, listener) => void listeners.set(event, listener),
    };
    lockNavigation(contents);
    expect(openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    for (const event of ['will-navigate', 'will-attach-webview']) {
      let prevented = false;
      listeners.get(event)?.({ preventDefault: () => (prevented = true) });
      expect(prevented, event).toBe(true);
    }
  });

  it('grants the clipboard write only', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write')).toBe(true);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'serial']) {
      expect(isPermissionAllowed(permission), permission).toBe(false);
    }
  });

  it('has a Content Security Policy that loads code from the app only and connects to loopback only', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    for (const source of directives.get('connect-src') ?? []) {
      expect(source).toMatch(/^('self'|ws:\/\/(127\.0\.0\.1|localhost):\*)$/);
    }
    const sources = [...directives.values()].flat();
    expect(sources.filter((source) => source === '*' || /^https?:/.test(source) || source === "'unsafe-eval'")).toEqual([]);
  });
});
