// The replay viewer shows what the model saw and said: a real 20-call run of the built-in
// agent (jetty run, real Docker, the scripted model server), then `jetty serve` on its data
// folder; the replay's model call opens as a generation (prompt messages by role, tool
// calls, tool results, the completion) and the runbook as run is on the page. Screenshots
// light and dark: test-results/screenshots/model-call-*.png.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jetty, requireBuiltCli } from '../helpers/cli';
import { commandLoop, TWENTY_CALL_COMMANDS } from '../helpers/command-loop-script';
import { requireDocker, TEST_BASE_IMAGE } from '../helpers/docker';
import { useJettyWithBrowser } from '../helpers/jetty-with-browser';
import { startScriptedModelServer } from '../helpers/scripted-model-server';
import { startJettyServe } from '../helpers/serve';

const RUNBOOK = path.resolve('test/e2e/fixtures/runbooks/demo/secret-report/RUNBOOK.md');
const SECRET = 'e2e-replay-token-5b8d2f';
let runId = '';

/** A finished 20-call run in a fresh data folder, then `jetty serve` over that folder. */
async function servedRun() {
  requireBuiltCli();
  await requireDocker();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'jetty-e2e-model-calls-'));
  const model = await startScriptedModelServer(commandLoop(TWENTY_CALL_COMMANDS));
  try {
    const run = await jetty(['run', RUNBOOK, '--param', 'topic=replay', '--secret', 'DEMO_TOKEN', '--image', TEST_BASE_IMAGE, '--data-dir', dataDir, '--max-turns', '40', '--json'], {
      DEMO_TOKEN: SECRET,
      OPENAI_BASE_URL: model.url,
      OPENAI_API_KEY: 'scripted-key',
      JETTY_MODEL: 'scripted-model',
    });
    expect(run.code, run.stderr).toBe(0);
    runId = /"id"\s*:\s*"([0-9a-f]{8})"/.exec(run.stdout)?.[1] ?? '';
    expect(runId).toMatch(/^[0-9a-f]{8}$/);
  } finally {
    await model.close();
  }
  // The data folder itself serves as the (runbook-less) folder to open: nothing else changes under it.
  return startJettyServe(dataDir, { dataDir });
}

const session = useJettyWithBrowser(servedRun);

describe('model call replay', () => {
  it('expands a model call into its prompt and completion, and shows the runbook as run', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await session.browser.newPage({ colorScheme });
      await page.goto(session.jetty.url);
      await page.locator('.nav-tabs').getByRole('button', { name: 'Trajectories', exact: true }).click();
      await page.locator(`tr[data-trajectory="${runId}"] .link-button`).click();
      await page.locator('.event-list').waitFor();
      await page.getByRole('checkbox', { name: 'model call' }).waitFor();
      // Only model calls: the 4th one's prompt holds the 3rd command's output, the secret redacted.
      for (const chip of await page.locator('.type-chips input[type="checkbox"]').all()) {
        const label = (await chip.evaluate((el) => el.parentElement?.textContent ?? '')).trim();
        if (label !== 'model call' && (await chip.isChecked())) await chip.uncheck();
      }
      const calls = page.locator('.event-row[data-type="model_call"]');
      await expect.poll(() => calls.count()).toBeGreaterThanOrEqual(4);
      await calls.nth(3).locator('.event-summary').click();
      const generation = calls.nth(3).locator('.generation');
      const prompt = generation.getByLabel('Prompt', { exact: true });
      // system, user, and the three earlier calls' tool calls and results.
      await expect.poll(() => prompt.locator('.gen-message').count(), { timeout: 10_000 }).toBe(8);
      expect(await prompt.locator('.gen-message').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.role))).toEqual([
        'system', 'user', 'assistant', 'tool', 'assistant', 'tool', 'assistant', 'tool',
      ]);
      expect(await prompt.locator('.gen-message[data-role="system"]').textContent()).toContain('Show all');
      expect(await prompt.locator('.gen-message[data-role="tool"]').last().textContent()).toContain('token is [REDACTED:DEMO_TOKEN]');
      expect(await prompt.locator('.gen-tool-call').first().textContent()).toContain('"command": "echo step-1"');
      const completion = generation.getByLabel('Completion', { exact: true });
      expect(await completion.locator('.gen-tool-call').textContent()).toContain('"command": "echo step-4"');
      expect(await generation.locator('.gen-tools summary').textContent()).toMatch(/Tools \(\d+\): .*bash/);
      expect(await page.content()).not.toContain(SECRET);

      await page.locator('.rendered-runbook summary').click();
      await expect.poll(() => page.getByLabel('Runbook as run').textContent()).toContain('# Secret Report');
      await calls.nth(3).evaluate((row) => row.scrollIntoView({ block: 'start' }));
      await page.getByLabel('Runbook as run').scrollIntoViewIfNeeded();
      await session.browser.screenshot(page, `model-call-top-${colorScheme}`);
      await prompt.locator('.gen-message[data-role="tool"]').last().scrollIntoViewIfNeeded();
      await session.browser.screenshot(page, `model-call-${colorScheme}`);
      await page.close();
    }
    session.browser.assertNoErrors();
  }, 300_000);
});
