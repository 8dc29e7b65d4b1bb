// Issue 15, Build 1, 2 and 7 in the browser, with real runs in Docker: the run panel shows
// what the run will actually use (JETTY_MODEL, JETTY_SANDBOX_IMAGE beside the runbook's
// choices), Run anyway for a runbook with a lint error (recorded in the trajectory), the
// required output files a completed run left out, Settings' environment-sourced key and
// overrides, and a Docker banner (with DOCKER_HOST) before any run when Docker is unreachable.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../electron/engine/store';
import { TEST_BASE_IMAGE } from '../helpers/docker';
import { useJettyWithBrowser } from '../helpers/jetty-with-browser';
import { helloReportWith } from '../helpers/scripted-model-scripts';
import { startJettyServe } from '../helpers/serve';
import { generateRunbooks } from './generated-runbooks';
import { serveGeneratedRunnable } from './runnable-jetty';

// hello-report without greeting.txt, a required output file.
const session = useJettyWithBrowser(() => serveGeneratedRunnable('run-panel', helloReportWith({ greeting: false })));

async function open(page: Page, name: string) {
  await page.getByLabel('Filter runbooks').fill(name);
  await page.locator(`[data-runbook="${name}"]`).first().click();
  await page.locator('.run-plan').waitFor();
}

const status = (page: Page) => page.locator('.run-status [data-status]');

describe('the run panel tells the truth', () => {
  it('shows the model and image the run will use beside the runbook’s, and the run records them', async () => {
    const page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(session.jetty.served.url);
    await open(page, 'truth');
    const model = page.locator('[data-plan="model"]');
    await expect.poll(() => model.textContent()).toContain('scripted-model');
    expect(await model.getAttribute('data-substituted')).toBe('true');
    expect(await model.textContent()).toMatch(/scripted-model from JETTY_MODEL · runbook: claude-sonnet-4-6JETTY_MODEL is set to scripted-model/);
    expect(await page.locator('[data-plan="image"]').textContent()).toMatch(new RegExp(`${TEST_BASE_IMAGE} from JETTY_SANDBOX_IMAGE · runbook: snapshot python312-uv`));
    expect(await page.locator('[data-plan="endpoint"]').textContent()).toContain('from OPENAI_BASE_URL');
    expect(await page.locator('[data-plan="docker"]').getAttribute('data-docker')).toBe('true');
    expect(await page.locator('[data-plan="docker"]').textContent()).toContain('/var/run/docker.sock');
    await session.browser.screenshotThemes(page, 'run-panel-plan');

    // A completed run that left out a declared output file says which.
    await page.locator('.run-actions .button-primary').click();
    await expect.poll(() => status(page).getAttribute('data-status'), { timeout: 120_000 }).toMatch(/completed|failed/);
    expect(await status(page).getAttribute('data-status')).toBe('completed');
    const missing = page.locator('.missing-outputs');
    await missing.waitFor();
    expect(await missing.textContent()).toContain('greeting.txt');
    expect(await missing.textContent()).not.toContain('summary.md');
    await missing.scrollIntoViewIfNeeded();
    await session.browser.screenshotThemes(page, 'run-panel-missing-outputs');
    await page.close();
  });

  it('offers Run anyway for a runbook with a lint error, and the trajectory records it', async () => {
    const page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(session.jetty.served.url);
    await open(page, 'lint-error');
    await page.locator('[data-param="language"]').fill('fr');
    const button = page.locator('.run-actions .button-primary');
    await expect.poll(() => button.textContent()).toContain('Run anyway');
    expect(await page.locator('.run-anyway-note').textContent()).toContain('1 error');
    await session.browser.screenshotThemes(page, 'run-panel-run-anyway');
    await button.click();
    await expect.poll(() => status(page).getAttribute('data-status'), { timeout: 120_000 }).toMatch(/completed|failed/);
    expect(await status(page).getAttribute('data-status')).toBe('completed');
    const id = (await page.locator('.run-status .run-id').textContent())!;
    const store = openStore(path.join(session.jetty.served.dataDir, 'jetty.db'));
    try {
      const warnings = store.listEvents(id, { limit: 1000 }).flatMap((e) => (e.level === 'warning' && e.type === 'log' ? [e.payload.message] : []));
      expect(warnings.find((w) => w.startsWith('Run anyway'))).toMatch(/started despite 1 lint error\(s\): \d+:\d+ RB010 variable 'language'/);
      expect(warnings).toContain("model scripted-model instead of the runbook's claude-sonnet-4-6: JETTY_MODEL is set to scripted-model");
    } finally {
      store.close();
    }
    await page.close();
  });

  it('Settings shows a key from the environment and the active overrides', async () => {
    const page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(session.jetty.served.url);
    await page.locator('.nav-tabs').getByRole('button', { name: 'Settings', exact: true }).click();
    const key = page.locator('[data-model-key]').first();
    await expect.poll(() => key.getAttribute('data-model-key')).toBe('environment');
    expect(await key.textContent()).toBe('from OPENAI_API_KEY');
    const overrides = page.locator('[data-overrides]');
    await overrides.waitFor();
    expect(await overrides.textContent()).toContain(`JETTY_SANDBOX_IMAGE = ${TEST_BASE_IMAGE}`);
    expect(await overrides.textContent()).toContain('JETTY_MODEL = scripted-model');
    await overrides.scrollIntoViewIfNeeded();
    await session.browser.screenshotThemes(page, 'settings-environment');
    session.browser.assertNoErrors();
    await page.close();
  });
});

describe('Docker up front', () => {
  it('shows a banner naming DOCKER_HOST and blocks runs before one is attempted', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'jetty-e2e-no-docker-'));
    await generateRunbooks(folder, 100);
    const served = await startJettyServe(folder, { env: { DOCKER_HOST: 'tcp://127.0.0.1:9' } });
    try {
      const page = await session.browser.newPage({ colorScheme: 'light' });
      await page.goto(served.url);
      const banner = page.locator('.docker-banner');
      await banner.waitFor();
      expect(await banner.textContent()).toContain('tcp://127.0.0.1:9');
      await open(page, 'truth');
      expect(await page.locator('[data-plan="docker"]').getAttribute('data-docker')).toBe('false');
      expect(await page.locator('.run-actions .button-primary').isDisabled()).toBe(true);
      expect(await page.locator('.run-panel').textContent()).toContain('Runs need Docker, which is not reachable at tcp://127.0.0.1:9');
      await session.browser.screenshotThemes(page, 'docker-banner');
      await page.close();
    } finally {
      expect(await served.stop()).toBe(0);
      await rm(folder, { recursive: true, force: true });
    }
  });
});
