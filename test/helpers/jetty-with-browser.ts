import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchBrowser, type TestBrowser } from './browser';
import { TEST_BASE_IMAGE, requireDocker } from './docker';
import { startScriptedModelServer, type Script } from './scripted-model-server';
import { startJettyServe, type ServedJetty } from './serve';

/** A Jetty process and a browser shared by the tests of one file; set once `beforeAll` ran. */
export interface JettyWithBrowser<J> {
  jetty: J;
  browser: TestBrowser;
}

/**
 * Starts a Jetty process (`start`) and a browser before the file's tests, side by side, and
 * closes both after them; the Jetty process must exit cleanly.
 */
export function useJettyWithBrowser<J extends { stop(): Promise<number | null> }>(start: () => Promise<J>): JettyWithBrowser<J> {
  const session = {} as JettyWithBrowser<J>;
  beforeAll(async () => {
    [session.jetty, session.browser] = await Promise.all([start(), launchBrowser()]);
  });
  afterAll(async () => {
    await session.browser?.close();
    expect(await session.jetty?.stop()).toBe(0);
  });
  return session;
}

/** A served copy of the fixture workspace: for tests that write to the folder. */
export interface ServedWorkspaceCopy extends ServedJetty {
  folder: string;
}

/** `jetty serve` on a fresh copy of `test/fixtures/workspace`, removed once the server stopped. */
export async function serveWorkspaceCopy(): Promise<ServedWorkspaceCopy> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'jetty-e2e-workspace-'));
  await cp(path.resolve('test/fixtures/workspace'), folder, { recursive: true });
  const served = await startJettyServe(folder);
  return {
    ...served,
    folder,
    async stop() {
      const code = await served.stop();
      await rm(folder, { recursive: true, force: true });
      return code;
    },
  };
}

/** A served folder made for one test file, with the scripted model answering its runs. */
export interface ServedWithModel {
  served: ServedJetty;
  folder: string;
  stop(): Promise<number | null>;
}

/**
 * `jetty serve` on a fresh folder that `fill` prepares, its runs in Docker (the test image)
 * answered by the scripted model (`script`); `env` adds to or overrides that. The model
 * stops and the folder is removed with the server, or at once if the start fails.
 */
export async function serveWithModel(
  name: string,
  script: Script,
  fill: (folder: string) => Promise<void>,
  options: { env?: NodeJS.ProcessEnv; dataDir?: string } = {},
): Promise<ServedWithModel> {
  await requireDocker();
  const folder = await mkdtemp(path.join(os.tmpdir(), `jetty-e2e-${name}-`));
  const model = await startScriptedModelServer(script);
  const removeAll = async () => {
    await model.close();
    await rm(folder, { recursive: true, force: true });
  };
  try {
    await fill(folder);
    const env = { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test', JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE, ...options.env };
    const served = await startJettyServe(folder, { dataDir: options.dataDir, env });
    return {
      served,
      folder,
      async stop() {
        const code = await served.stop();
        await removeAll();
        return code;
      },
    };
  } catch (error) {
    await removeAll();
    throw error;
  }
}
