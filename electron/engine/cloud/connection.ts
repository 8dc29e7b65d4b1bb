import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createHttpClient, type HttpClient, type HttpClientOptions } from './http-client';
import { remoteApi, type RemoteApi } from './remote-api';
import type { RemoteErrorKind } from './remote-error';
import { deleteToken, homeOf, readToken, redactToken, saveToken, type TokenSource } from './token-file';
import { CLOUD_API_URL } from './web-links';

/** Signed out, not yet checked, reachable, unreachable, token refused (401), or no access to a collection (403). */
export type ConnectionState = 'signed_out' | 'unknown' | 'online' | 'offline' | 'rejected' | 'forbidden';

export interface ConnectionStatus {
  baseUrl: string;
  state: ConnectionState;
  /** The token as `mlc_ab…yz`, never whole; null when signed out. */
  token: string | null;
  tokenSource: TokenSource | null;
  message: string | null;
}

const STATE_OF: Partial<Record<RemoteErrorKind, ConnectionState>> = {
  offline: 'offline',
  signed_out: 'signed_out',
  unauthorized: 'rejected',
  forbidden: 'forbidden',
};

/**
 * The remote Jetty this app talks to: its base URL (`JETTY_API_URL`, else
 * `<dataDir>/cloud.json`, else the cloud) and the token (see token-file.ts). Holds the
 * one HTTP client and the last known state, told to `onChange`.
 */
export function openConnection(options: {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  http?: Partial<HttpClientOptions>;
  onChange?(status: ConnectionStatus): void;
}) {
  const configFile = path.join(options.dataDir, 'cloud.json');
  const home = homeOf(options.env);
  const savedBase = (): string | null => {
    if (!existsSync(configFile)) return null;
    try {
      const value = (JSON.parse(readFileSync(configFile, 'utf8')) as { baseUrl?: unknown }).baseUrl;
      return typeof value === 'string' ? value : null;
    } catch {
      return null;
    }
  };
  let baseUrl = (options.env.JETTY_API_URL || savedBase() || CLOUD_API_URL).replace(/\/+$/, '');
  let state: ConnectionState = readToken(options.env) ? 'unknown' : 'signed_out';
  let message: string | null = null;
  let client: HttpClient | null = null;
  let api: RemoteApi | null = null;

  const status = (): ConnectionStatus => {
    const token = readToken(options.env);
    return { baseUrl, state: token ? state : 'signed_out', token: token ? redactToken(token.token) : null, tokenSource: token?.source ?? null, message };
  };
  const set = (next: ConnectionState, why: string | null) => {
    if (next === state && why === message) return;
    state = next;
    message = why;
    options.onChange?.(status());
  };

  return {
    status,
    get baseUrl() {
      return baseUrl;
    },
    /** The API client of the current base URL. */
    api(): RemoteApi {
      if (!api) {
        client = createHttpClient({ ...options.http, baseUrl, token: () => readToken(options.env)?.token ?? null });
        api = remoteApi(client);
      }
      return api;
    },
    /** Records what a call learnt about the connection: reachable, or why not. */
    observe(error: { kind: RemoteErrorKind; message: string } | null): void {
      if (!error) return set('online', null);
      const next = STATE_OF[error.kind];
      if (next) set(next, next === 'rejected' ? `the remote refused the token (401): sign in again. ${error.message}` : error.message);
    },
    /** Saves the token (0700/0600) and, if given, the base URL; the state is checked by the caller's next call. */
    async signIn(token: string, newBase?: string): Promise<void> {
      if (newBase && newBase.replace(/\/+$/, '') !== baseUrl) {
        baseUrl = new URL(newBase).href.replace(/\/+$/, '');
        const tmp = `${configFile}.${process.pid}.tmp`;
        writeFileSync(tmp, `${JSON.stringify({ baseUrl }, null, 2)}\n`, { mode: 0o600 });
        renameSync(tmp, configFile);
        await client?.close();
        client = null;
        api = null;
      }
      saveToken(home, token.trim());
      set('unknown', null);
    },
    signOut(): boolean {
      const removed = deleteToken(home);
      set('signed_out', null);
      return removed;
    },
    async close(): Promise<void> {
      await client?.close();
    },
  };
}
export type Connection = ReturnType<typeof openConnection>;
