import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { TEST_BASE_IMAGE, requireDocker } from '../helpers/docker';
import { callTools, startScriptedModelServer, type ChatRequest, type Script } from '../helpers/scripted-model-server';
import { helloReport } from '../helpers/scripted-model-scripts';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

const FIXTURE = path.resolve('test/e2e/fixtures/runbooks');

/** The fixture runbook the e2e tests open and run (a required `topic`, a required secret DEMO_TOKEN). */
export const SECRET_REPORT = { collection: 'demo', name: 'secret-report' };

/** By default the first command shows the secret reached the sandbox (its value must come back redacted). */
const SHOW_SECRET = 'test -n "$DEMO_TOKEN" && echo "token configured: $DEMO_TOKEN"';

/** hello-report after a first bash `command` (or the command made from the first request). */
export const commandThenReport =
  (command: string | ((request: ChatRequest) => string)): Script =>
  (request, turn) => {
    const turns = request.messages.filter((m) => m.role === 'assistant').length;
    if (turns === 0) return callTools({ name: 'bash', arguments: { command: typeof command === 'string' ? command : command(request) } });
    const first = request.messages.findIndex((m) => m.role === 'assistant');
    return helloReport({ ...request, messages: request.messages.filter((_, i) => i !== first) }, turn);
  };

export interface RunnableJetty {
  /** A copy of the fixture runbooks, not yet open in the UI. */
  folder: string;
  served: ServedJetty;
  stop(): Promise<number | null>;
}

/**
 * `jetty serve` started on an empty folder, able to run for real: the built-in agent talks
 * to the scripted model server (a first bash `firstCommand`, then hello-report) and every
 * run uses the offline image jetty-test/base (JETTY_SANDBOX_IMAGE) in the local Docker.
 */
export async function startRunnableJetty(options: { firstCommand?: string } = {}): Promise<RunnableJetty> {
  await requireDocker();
  const folder = await mkdtemp(path.join(os.tmpdir(), 'jetty-e2e-runbooks-'));
  const empty = await mkdtemp(path.join(os.tmpdir(), 'jetty-e2e-start-'));
  await cp(FIXTURE, folder, { recursive: true });
  const model = await startScriptedModelServer(commandThenReport(options.firstCommand ?? SHOW_SECRET));
  const served = await startJettyServe(empty, {
    env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'scripted-key', JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE, JETTY_MODEL: 'scripted-model' },
  });
  return {
    folder,
    served,
    async stop() {
      const code = await served.stop();
      await model.close();
      await Promise.all([folder, empty].map((d) => rm(d, { recursive: true, force: true })));
      return code;
    },
  };
}

/**
 * Starts the fixture runbook from the UI of `jetty`: opens its folder, fills the topic and
 * the secret DEMO_TOKEN, clicks Run; resolves to the new run's id.
 */
export async function startFixtureRun(page: Page, jetty: RunnableJetty, topic: string): Promise<string> {
  await page.goto(jetty.served.url);
  await page.getByLabel('Folder path').fill(jetty.folder);
  await page.getByRole('button', { name: 'Open folder' }).click();
  await page.locator(`[data-collection="${SECRET_REPORT.collection}"] [data-runbook="${SECRET_REPORT.name}"]`).click();
  await page.locator('[data-param="topic"]').fill(topic);
  const secret = page.locator('[data-secret="DEMO_TOKEN"]');
  await secret.getByLabel('Value of DEMO_TOKEN').fill('fixture-token-1234');
  await secret.getByRole('button', { name: 'Set' }).click();
  await expect.poll(() => secret.getAttribute('data-configured')).toBe('true');
  const run = page.locator('.run-actions .button-primary');
  await expect.poll(() => run.isEnabled()).toBe(true);
  await run.click();
  const runId = (await page.locator('.run-status .run-id').textContent()) ?? '';
  expect(runId).toMatch(/^[0-9a-f]{8}$/);
  return runId;
}
