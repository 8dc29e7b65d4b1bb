import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useJettyWithBrowser } from '../helpers/jetty-with-browser';
import { startRunnableJetty } from './runnable-jetty';

const TOKEN_VALUE = 'demo-token-e2e-7f3a9c2b5d';
// A cloud run summary (the trajectory.json the cloud writes beside a runbook's examples) of our own demo runbook.
const CLOUD_SUMMARY = path.resolve(__dirname, '../fixtures/runs/demo/secret-report/examples/release-notes/trajectory.json');

const session = useJettyWithBrowser(startRunnableJetty);

const nav = (page: Page, screen: string) => page.locator('.nav-tabs').getByRole('button', { name: screen, exact: true }).click();

describe('main flow', () => {
  it('opens a folder, edits, fills parameters and a secret, runs in Docker, replays, labels, exports and imports', async () => {
    const { jetty, browser } = session;
    const page = await browser.newPage({ colorScheme: 'light' });
    await page.goto(jetty.served.url);

    // Open the folder.
    await page.getByLabel('Folder path').fill(jetty.folder);
    await page.getByRole('button', { name: 'Open folder' }).click();
    const row = page.locator('[data-collection="demo"] [data-runbook="secret-report"]');
    await row.click();
    await page.locator('.monaco-editor .view-lines').waitFor();
    await expect.poll(() => page.locator('.problems-empty').count()).toBe(1);

    // An undeclared variable shows a diagnostic; removing it clears it.
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    const typed = 'See {{nope}}';
    await page.keyboard.insertText(typed);
    await page.locator('.problem[data-code="RB010"]').waitFor();
    await session.browser.screenshotThemes(page, 'editor-diagnostic');
    for (let i = 0; i < typed.length; i++) await page.keyboard.press('Backspace');
    await page.locator('.problem[data-code="RB010"]').waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('.problems-empty').count()).toBe(1);

    // Parameters: the required topic blocks the run until filled; the default is prefilled.
    const runButton = page.locator('.run-actions .button-primary');
    expect(await page.locator('[data-param="results_dir"]').inputValue()).toBe('/app/results');
    await expect.poll(() => page.locator('.run-blockers').textContent()).toContain('parameter Topic');
    expect(await runButton.isDisabled()).toBe(true);
    await page.locator('[data-param="topic"]').fill('release notes');

    // The secret is missing, then set here.
    const secret = page.locator('[data-secret="DEMO_TOKEN"]');
    expect(await secret.getAttribute('data-configured')).toBe('false');
    expect(await page.locator('.run-blockers').textContent()).toContain('secret DEMO_TOKEN');
    expect(await page.locator('.run-panel').textContent()).toContain('encrypted file in the data folder');
    await session.browser.screenshotThemes(page, 'run-panel-ready');
    await secret.getByLabel('Value of DEMO_TOKEN').fill(TOKEN_VALUE);
    await secret.getByRole('button', { name: 'Set' }).click();
    await expect.poll(() => secret.getAttribute('data-configured')).toBe('true');
    expect(await runButton.isDisabled()).toBe(false);

    // Run with the keyboard shortcut; watch the live log; wait for completion.
    await page.locator('[data-param="topic"]').focus();
    await page.keyboard.press('Control+Enter');
    const status = page.locator('.run-status [data-status]');
    await status.waitFor();
    await expect.poll(() => page.locator('.log .log-line').count(), { timeout: 60_000 }).toBeGreaterThan(3);
    await session.browser.screenshotThemes(page, 'run-panel-live');
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 120_000 }).toMatch(/completed|failed/);
    expect(await page.locator('.run-live .notice-error').count(), (await page.locator('.run-live').textContent()) ?? '').toBe(0);
    expect(await status.getAttribute('data-status')).toBe('completed');
    expect(await page.locator('.log').textContent()).toContain('token configured');
    expect(await page.locator('.run-live').textContent()).not.toContain(TOKEN_VALUE);
    await page.locator('[data-artifact="summary.md"]').waitFor();
    await expect.poll(() => page.locator('[data-artifact-preview="summary.md"] .markdown h1').textContent()).toBe('Summary');
    await page.locator('[data-artifact="validation_report.json"]').click();
    await page.locator('[data-artifact-preview="validation_report.json"] .json-tree').waitFor();
    expect(await page.locator('.run-live .evaluation').getAttribute('data-passed')).toBe('true');
    await session.browser.screenshotThemes(page, 'run-panel-done');
    const runId = (await page.locator('.run-status .run-id').textContent()) ?? '';
    expect(runId).toMatch(/^[0-9a-f]{8}$/);

    // The trajectories list shows it; open the replay.
    await nav(page, 'Trajectories');
    await page.locator(`tr[data-trajectory="${runId}"]`).waitFor();
    await session.browser.screenshotThemes(page, 'trajectories-list');
    await page.locator(`tr[data-trajectory="${runId}"] .link-button`).click();
    const list = page.locator('.event-list');
    await list.waitFor();
    const total = Number(await page.locator('.timeline-where').getAttribute('data-shown'));
    expect(total).toBeGreaterThan(10);
    expect(await page.locator('.event-step').count()).toBeGreaterThan(1);

    // Scrub to the start, step forward, then play to the end at 100×.
    await page.getByLabel('Replay position').fill('0');
    await expect.poll(async () => Number(await page.locator('.timeline-where').getAttribute('data-shown'))).toBeLessThan(total);
    const atStart = Number(await page.locator('.timeline-where').getAttribute('data-shown'));
    await page.getByRole('button', { name: 'Next event' }).click();
    await expect.poll(async () => Number(await page.locator('.timeline-where').getAttribute('data-shown'))).toBe(atStart + 1);
    await session.browser.screenshotThemes(page, 'replay-scrubbed');
    await page.getByLabel('Playback speed').selectOption('100');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(async () => Number(await page.locator('.timeline-where').getAttribute('data-shown')), { timeout: 30_000 }).toBe(total);

    // Type filter and search narrow the list.
    await page.getByLabel('Search events').fill('token configured');
    await expect.poll(() => page.locator('.event-row').count()).toBeGreaterThan(0);
    expect(await page.locator('.event-row[data-type="command_output"]').count()).toBeGreaterThan(0);
    await page.getByLabel('Search events').fill('');

    // Label it.
    await page.getByLabel('Label key').fill('quality');
    await page.getByLabel('Label value').fill('good');
    await page.getByLabel('Label author').fill('e2e');
    await page.getByRole('button', { name: 'Add label' }).click();
    await page.locator('[data-label="quality=good"]').waitFor();
    await session.browser.screenshotThemes(page, 'replay');

    // Export: the document has the label and the events, and never the secret.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
    const exported = await readFile(await download.path(), 'utf8');
    const doc = JSON.parse(exported) as { id: string; labels: { key: string }[]; events: unknown[]; format_version: number };
    expect(doc.id).toBe(runId);
    expect(doc.labels.map((l) => l.key)).toContain('quality');
    expect(doc.events.length).toBe(total);
    expect(exported).not.toContain(TOKEN_VALUE);

    // Import it back: a new trajectory with the same events opens.
    await nav(page, 'Trajectories');
    await page.getByTestId('import-file').setInputFiles(await download.path());
    await page.locator('.replay-header').waitFor();
    await expect.poll(async () => Number(await page.locator('.timeline-where').getAttribute('data-shown'))).toBe(total);
    const importedId = await page.locator('.replay-header h1 code').textContent();
    expect(importedId).not.toBe(runId);

    // A cloud trajectory.json opens too, showing what it holds: verdict, report, notes.
    await nav(page, 'Trajectories');
    await page.getByTestId('import-file').setInputFiles(CLOUD_SUMMARY);
    await page.locator('.replay-header').waitFor();
    await page.locator('.replay-side .evaluation[data-passed="true"]').waitFor();
    expect(await page.locator('.replay-side .evaluation').textContent()).toContain('3/3');
    await expect.poll(() => page.locator('.event-list').textContent()).toContain('The release-notes token is configured');
    await session.browser.screenshotThemes(page, 'replay-cloud-summary');

    // Compare the run with its imported copy: same steps, the artifacts' files are only in the original.
    await nav(page, 'Trajectories');
    await page.getByLabel(`Pick ${runId} to compare`).check();
    await page.getByLabel(`Pick ${importedId} to compare`).check();
    await page.getByRole('button', { name: 'Compare 2 runs' }).click();
    await page.locator('.compare-steps tr[data-step="agent"]').waitFor();
    expect(await page.locator('[data-artifact="summary.md"]').getAttribute('data-comparison')).toBe('same');
    await session.browser.screenshotThemes(page, 'compare');

    // Settings: Docker is reachable, the theme persists.
    await nav(page, 'Settings');
    await page.locator('.docker-status[data-docker="true"]').waitFor();
    // The local API's base URL is shown; the token only redacted.
    await page.locator(`.local-api[data-local-api="${jetty.served.origin}"]`).waitFor();
    expect(await page.locator('.local-api').textContent()).not.toContain(jetty.served.token);
    await session.browser.screenshotThemes(page, 'settings');
    await page.locator('.segmented label', { hasText: 'dark' }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.reload();
    await page.locator('.nav-tabs').waitFor();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    browser.assertNoErrors();
  });
});
