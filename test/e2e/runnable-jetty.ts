import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { TEST_BASE_IMAGE, requireDocker } from '../helpers/docker';
import { callTools, startScriptedModelServer, type ChatRequest, type Script, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { helloReportWith } from '../helpers/scripted-model-scripts';
import { startJettyServe, type ServedJetty } from '../helpers/serve';
import { generateRunbooks } from './generated-runbooks';

const FIXTURE = path.resolve('test/e2e/fixtures/runbooks');

/** The fixture runbook the e2e tests open and run (a required `topic`, a required secret DEMO_TOKEN). */
export const SECRET_REPORT = { collection: 'demo', name: 'secret-report' };

/** By default the first command shows the secret reached the sandbox (its value must come back redacted). */
const SHOW_SECRET = 'test -n "$DEMO_TOKEN" && echo "token configured: $DEMO_TOKEN"';

/** The fixture secret-report's outputs (summary.md and a passing report): hello-report without its greeting.txt. */
const secretReportOutputs = helloReportWith({ greeting: false });

/** The fixture's report after a first bash `command` (or the command made from the first request). */
export const commandThenReport =
  (command: string | ((request: ChatRequest) => string)): Script =>
  (request, turn) => {
    const turns = request.messages.filter((m) => m.role === 'assistant').length;
    if (turns === 0) return callTools({ name: 'bash', arguments: { command: typeof command === 'string' ? command : command(request) } });
    const first = request.messages.findIndex((m) => m.role === 'assistant');
    return secretReportOutputs({ ...request, messages: request.messages.filter((_, i) => i !== first) }, turn);
  };

export interface RunnableJetty {
  /** The runbooks' folder (for startRunnableJetty a copy of the fixtures, not yet open in the UI). */
  folder: string;
  served: ServedJetty;
  stop(): Promise<number | null>;
}

/** Every run of a runnable `jetty serve`: the built-in agent's model is the scripted server, the image the offline jetty-test/base. */
const runnableEnv = (model: ScriptedModelServer) => ({ OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'scripted-key', JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE, JETTY_MODEL: 'scripted-model' });

/** A runnable `jetty serve` whose stop also stops its model server and removes its temp folders. */
function runnable(folder: string, served: ServedJetty, model: ScriptedModelServer, temps: string[]): RunnableJetty {
  return {
    folder,
    served,
    async stop() {
      const code = await served.stop();
      await model.close();
      await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
      return code;
    },
  };
}

/** `jetty serve` on a generated folder of 120 runbooks (plus what `prepare` adds), open from the start, runs answered by `script`. */
export async function serveGeneratedRunnable(name: string, script: Script, prepare?: (folder: string) => Promise<void>): Promise<RunnableJetty> {
  await requireDocker();
  const folder = await mkdtemp(path.join(os.tmpdir(), `jetty-e2e-${name}-`));
  await generateRunbooks(folder);
  await prepare?.(folder);
  const model = await startScriptedModelServer(script);
  return runnable(folder, await startJettyServe(folder, { env: runnableEnv(model) }), model, [folder]);
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
  return runnable(folder, await startJettyServe(empty, { env: runnableEnv(model) }), model, [folder, empty]);
}

/**
 * Starts the fixture runbook from the UI of `jetty`: opens its folder, fills the topic and
 * the secret DEMO_TOKEN, calls `beforeRun`, clicks Run; resolves to the new run's id.
 */
export async function startFixtureRun(page: Page, jetty: RunnableJetty, topic: string, beforeRun?: () => Promise<void>): Promise<string> {
  await openFixture(page, jetty, topic);
  const run = page.locator('.run-actions .button-primary');
  await expect.poll(() => run.isEnabled()).toBe(true);
  await beforeRun?.();
  await run.click();
  const runId = (await page.locator('.run-status .run-id').textContent()) ?? '';
  expect(runId).toMatch(/^[0-9a-f]{8}$/);
  return runId;
}

/** Opens the fixture folder in the app, selects secret-report, fills its topic and sets its secret DEMO_TOKEN in the vault. */
export async function openFixture(page: Page, jetty: RunnableJetty, topic: string): Promise<void> {
  await page.goto(jetty.served.url);
  await page.getByLabel('Folder path').fill(jetty.folder);
  await page.getByRole('button', { name: 'Open folder' }).click();
  await page.locator(`[data-collection="${SECRET_REPORT.collection}"] [data-runbook="${SECRET_REPORT.name}"]`).click();
  await page.locator('[data-param="topic"]').fill(topic);
  const secret = page.locator('[data-secret="DEMO_TOKEN"]');
  await secret.getByLabel('Value of DEMO_TOKEN').fill('fixture-token-1234');
  await secret.getByRole('button', { name: 'Set' }).click();
  await expect.poll(() => secret.getAttribute('data-configured')).toBe('true');
}
