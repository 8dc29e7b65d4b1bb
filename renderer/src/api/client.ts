import { createClient, type Client } from '../../../shared/rpc';
import { createIpcTransport, type PreloadBridge } from './ipc-transport';
import type { ConnectionStatus } from './status';
import { takeApiToken } from './token';
import { createWebSocketTransport } from './ws-transport';

/**
 * Builds the typed client for wherever the renderer runs: Electron's preload bridge when
 * present, else the `jetty serve` WebSocket with the token from the URL. Returns null
 * (after reporting `no-token`) when served without a token.
 */
const preloadBridge = () => (window as { jetty?: PreloadBridge }).jetty;

/**
 * The host path of a dropped file: Electron knows it (through the preload); a browser
 * under `jetty serve` never reveals it, so the user types paths there.
 */
export const hostPathOfFile = (file: File): string | null => preloadBridge()?.pathForFile(file) || null;

export function connectClient(onStatus: (status: ConnectionStatus) => void): Client | null {
  const bridge = preloadBridge();
  if (bridge) {
    onStatus({ state: 'open' });
    return createClient(createIpcTransport(bridge));
  }
  const token = takeApiToken();
  if (!token) {
    onStatus({ state: 'no-token' });
    return null;
  }
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws`;
  const tokenAccepted = async () => {
    const res = await fetch('/api/health', { headers: { Authorization: `Bearer ${token}` } });
    return res.status !== 401;
  };
  return createClient(createWebSocketTransport({ url: wsUrl, token, onStatus, tokenAccepted }));
}
