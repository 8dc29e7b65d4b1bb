/**
 * Two real `jetty serve`s for the Cloud view's browser tests: the remote (its own data
 * folder and token, runs answered by the scripted model) and the local app (HOME in a temp
 * folder, JETTY_API_URL at the remote), over runbooks the test writes; and the page's
 * sign-in to the remote.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { requireDocker } from '../helpers/docker';
import { startScriptedModelServer, type Script } from '../helpers/scripted-model-server';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

export interface LocalAndRemote {
  dir: string;
  /** The runbooks the local app serves. */
  folder: string;
  local: ServedJetty;
  remote: ServedJetty;
  /** A GET of the remote's `/api/v1` with its token. */
  remoteGet(p: string): Promise<Record<string, unknown>>;
  stop(): Promise<number | null>;
}

export async function startLocalAndRemote(options: {
  name: string;
  script: Script;
  /** Writes the runbooks into `folder`. */
  writeRunbooks(folder: string): Promise<void>;
  remoteEnv?: NodeJS.ProcessEnv;
  localEnv?: NodeJS.ProcessEnv;
}): Promise<LocalAndRemote> {
  await requireDocker();
  const dir = await mkdtemp(path.join(os.tmpdir(), `jetty-e2e-${options.name}-`));
  const model = await startScriptedModelServer(options.script);
  const remote = await startJettyServe(await mkdtemp(path.join(dir, 'served-')), { timeoutMs: 60_000, env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'model-key', ...options.remoteEnv } });
  const folder = path.join(dir, 'runbooks');
  await options.writeRunbooks(folder);
  const local = await startJettyServe(folder, { timeoutMs: 60_000, env: { HOME: path.join(dir, 'home'), JETTY_API_URL: remote.origin, ...options.localEnv } });
  return {
    dir,
    folder,
    local,
    remote,
    remoteGet: async (p) => (await fetch(`${remote.origin}/api/v1${p}`, { headers: { authorization: `Bearer ${remote.token}` } })).json() as Promise<Record<string, unknown>>,
    async stop() {
      const code = await local.stop();
      const remoteCode = await remote.stop();
      await model.close();
      await rm(dir, { recursive: true, force: true });
      return code === 0 ? remoteCode : code;
    },
  };
}

/** Opens the Cloud view and signs in to `remote` with its token (the form, as a person does); returns the connection panel. */
export async function signInToRemote(page: Page, remote: ServedJetty) {
  await page.locator('.nav-tabs').getByRole('button', { name: 'Cloud', exact: true }).click();
  const connection = page.locator('.cloud-connection');
  await expect.poll(() => connection.getAttribute('data-cloud-state'), { timeout: 15_000 }).toBe('signed_out');
  await connection.getByLabel('Base URL').fill(remote.origin);
  await connection.getByLabel('Token').fill(remote.token);
  await connection.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => connection.getAttribute('data-cloud-state')).toBe('online');
  return connection;
}
