// The Evaluate view in the browser, with real runs in Docker against the scripted model: an
// evaluation started from a runbook (a matrix of two models, trials, concurrency) whose grid
// fills live, a cell's trials opening their replays, the runbook's dashboard after two
// evaluations of two versions of it, and the two compared (improvements marked per cell and
// per stage). Screenshots in light and dark.
import type { Page } from 'playwright-core';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluationModel, FLAKY, STEADY } from '../helpers/evaluation-model';
import { serveWithModel, useJettyWithBrowser } from '../helpers/jetty-with-browser';
import type { Script } from '../helpers/scripted-model-server';

const EXAMPLES = path.resolve('resources/examples');

/** The flaky model fails its first four trials (the first evaluation: 0 of 4), then passes (the second: 4 of 4); each write turn takes a moment, so the grid is seen filling. */
async function serveEvaluable() {
  const scripted = evaluationModel([1, 2, 3, 4]);
  const slowly: Script = async (request, turn) => {
    await new Promise((r) => setTimeout(r, 700));
    return scripted.script(request, turn);
  };
  // Prices for the scripted models, so the figures show what calls cost (USD per million tokens).
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'jetty-e2e-evaluate-'));
  const price = { input: 3, output: 15 };
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ modelPrices: { [STEADY]: price, [FLAKY]: price } }));
  // A copy of the examples: the second evaluation is of an edited runbook (its next version).
  return serveWithModel('evaluate-runbooks', slowly, (folder) => cp(EXAMPLES, folder, { recursive: true }), { dataDir });
}

const session = useJettyWithBrowser(serveEvaluable);
/** hello-report's RUNBOOK.md in the served copy of the examples. */
const helloReportFile = () => path.join(session.jetty.folder, 'demo/hello-report/RUNBOOK.md');

const squares = (page: Page, cell: number) => page.locator(`.eval-grid-row[data-cell="${cell}"] > .eval-squares > .eval-square`).evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
const status = (page: Page) => page.locator('.eval-detail').getAttribute('data-status');

/** The progress bar has finished moving (its width eases to each new count). */
const barSettled = (page: Page) => expect.poll(() => page.locator('.eval-progress-bar').evaluate((el) => el.getAnimations().length), { timeout: 5_000 }).toBe(0);

async function startEvaluation(page: Page, name: string) {
  const form = page.locator('.eval-new');
  await form.getByLabel('Model of cell 1').fill(STEADY);
  if ((await form.locator('.eval-cell-row').count()) < 2) await form.getByRole('button', { name: 'Add cell' }).click();
  await form.getByLabel('Model of cell 2').fill(FLAKY);
  await form.getByLabel('Trials per cell').fill('4');
  await form.getByLabel('At once').fill('2');
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByRole('button', { name: 'Evaluate: 8 trials' }).click();
  await page.locator('.eval-detail').waitFor();
}

describe('the Evaluate view', () => {
  let page: Page;

  it('starts an evaluation from a runbook and its grid fills live; a cell opens its trials and their replays', async () => {
    page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(session.jetty.served.url);
    await page.locator('.nav-tabs').getByRole('button', { name: 'Evaluate', exact: true }).click();
    await page.getByLabel('Runbook', { exact: true }).selectOption({ label: 'demo/hello-report' });
    await page.locator('.eval-new').waitFor();
    await startEvaluation(page, 'before the fix');

    // Live: some trials have ended while others run or wait.
    await expect
      .poll(async () => {
        const states = [...(await squares(page, 0)), ...(await squares(page, 1))];
        return states.some((s) => s === 'passed' || s === 'failed') && states.some((s) => s === 'running' || s === 'pending');
      }, { timeout: 120_000, interval: 100 })
      .toBe(true);
    expect(await status(page)).toBe('running');
    await barSettled(page);
    await session.browser.screenshotThemes(page, 'evaluate-grid-live');

    await expect.poll(() => status(page), { timeout: 180_000 }).toBe('completed');
    expect(await squares(page, 0)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(await squares(page, 1)).toEqual(['failed', 'failed', 'failed', 'failed']);
    // A square says what it shows in words too.
    expect(await page.locator('.eval-grid-row[data-cell="1"] .eval-square').first().getAttribute('aria-label')).toBe('trial 1: failed (verdict) — line_count: fail (expected 3 lines, found 2)');
    const flakyRow = page.locator(`.eval-figures tr[data-cell="1"]`);
    expect(await flakyRow.locator('[data-pass-rate]').innerText()).toMatch(/^0%\s+0%–49%$/);
    expect(await flakyRow.locator('li[data-stage="line_count"]').getAttribute('data-state')).toBe('broken');
    expect(await page.locator(`.eval-figures tr[data-cell="0"] [data-pass-rate]`).innerText()).toMatch(/^100%\s+51%–100%$/);

    // A cell opens its trials; a trial opens its run's replay.
    await page.locator('.eval-grid-row[data-cell="1"] .eval-grid-label button').click();
    const trials = page.locator('.eval-cell-trials');
    await trials.waitFor();
    expect(await trials.locator('tbody tr').count()).toBe(4);
    expect(await trials.locator('tbody tr').first().getAttribute('data-outcome')).toBe('failed');
    await trials.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await session.browser.screenshotThemes(page, 'evaluate-cell-trials');
    const runId = (await trials.locator('tbody tr').first().locator('code').innerText()).trim();
    await trials.locator('tbody tr').first().getByRole('button', { name: /Replay/ }).click();
    await page.locator(`main.replay[aria-label="Replay of ${runId}"]`).waitFor({ timeout: 20_000 });
  }, 300_000);

  it('the dashboard after evaluations of two versions, and the two compared: improvements marked per cell and per stage', async () => {
    // The author edits the runbook (its next version), then evaluates it again.
    const text = await readFile(helloReportFile(), 'utf8');
    expect(text).toContain('version: "1.0.0"');
    await writeFile(helloReportFile(), text.replace('version: "1.0.0"', 'version: "1.1.0"'));
    await page.locator('.nav-tabs').getByRole('button', { name: 'Evaluate', exact: true }).click();
    await page.locator('.eval-new').waitFor();
    await startEvaluation(page, 'after the fix');
    await expect.poll(() => status(page), { timeout: 180_000 }).toBe('completed');
    expect(await squares(page, 1)).toEqual(['passed', 'passed', 'passed', 'passed']);

    await page.getByRole('button', { name: /all evaluations/ }).click();
    const list = page.locator('.eval-list tbody tr');
    await expect.poll(() => list.count()).toBe(2);
    expect(await page.locator('.eval-trend[data-trend="Pass rate by evaluation"] circle').count()).toBe(2);
    expect(await page.locator('.eval-trend[data-trend="Pass rate by evaluation"] figcaption strong').innerText()).toBe('100%');
    expect(await list.evaluateAll((rows) => rows.map((r) => r.querySelector('td:nth-child(3)')?.textContent?.split(' ')[0]))).toEqual(['1.1.0', '1.0.0']);
    await session.browser.screenshotThemes(page, 'evaluate-dashboard');

    for (const name of ['before the fix', 'after the fix']) await page.getByLabel(`Pick ${name} to compare`).check();
    await page.getByRole('button', { name: 'Compare the two picked' }).click();
    await page.locator('.eval-compare-table').waitFor();
    expect(await page.locator('.eval-compare-side[data-side="before"] strong').innerText()).toBe('before the fix');
    expect(await page.locator('.eval-compare-side[data-side="before"]').innerText()).toContain('version 1.0.0');
    expect(await page.locator('.eval-compare-side[data-side="after"]').innerText()).toContain('version 1.1.0');
    const cell = (label: string) => page.locator(`.eval-compare-cell[data-cell="${label}"]`);
    expect(await cell(`default agent / ${FLAKY}`).getAttribute('data-movement')).toBe('improved');
    expect(await cell(`default agent / ${FLAKY}`).innerText()).toMatch(/0%\s+0\/4\s+100%\s+4\/4\s+▲\s*improved/);
    expect(await cell(`default agent / ${STEADY}`).getAttribute('data-movement')).toBe('same');
    const stages = await page.locator('.eval-compare-stage').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-stage')} ${r.getAttribute('data-movement')}`));
    expect(stages).toEqual(['hello same', 'line_count same', 'hello same', 'line_count improved']);
    await session.browser.screenshotThemes(page, 'evaluate-compare');
    session.browser.assertNoErrors();
  }, 300_000);
});
