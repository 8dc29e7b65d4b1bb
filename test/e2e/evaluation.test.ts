// Passed is not completed, in the browser, with real runs in Docker: the run panel, the
// trajectory list (an evaluation filter beside the status filter, by keyboard, and a sort by
// evaluation), replay (missing required outputs) and compare show a run's evaluation as a
// badge apart from its status chip. The scripted model picks each run's outcome by its
// `name` parameter: `failing` (its report fails a check), `incomplete` (greeting.txt, a
// required output, left out; the report passes), any other name passes.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useJettyWithBrowser } from '../helpers/jetty-with-browser';
import { helloReportByName } from '../helpers/scripted-model-scripts';
import { serveGeneratedRunnable } from './runnable-jetty';

const session = useJettyWithBrowser(() => serveGeneratedRunnable('evaluation', helloReportByName));

const nav = (page: Page, screen: string) => page.locator('.nav-tabs').getByRole('button', { name: screen, exact: true }).click();
const status = (page: Page) => page.locator('.run-status [data-status]');
const rowIds = (page: Page) => page.locator('.trajectory-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-trajectory')));
const verdictOf = (page: Page, id: string) => page.locator(`tr[data-trajectory="${id}"] .eval-badge`).getAttribute('data-verdict');

/** Scrolls the run panel to the run: its status line, log and evaluation. */
const showRun = (page: Page) => page.locator('.run-live').evaluate((el) => el.scrollIntoView({ block: 'start' }));

/** Runs the `truth` runbook (hello-report) from the run panel with `name`; resolves to the run's id once it ended. */
async function runNamed(page: Page, name: string): Promise<string> {
  await page.locator('[data-param="name"]').fill(name);
  const before = await page.locator('.run-status .run-id').textContent().catch(() => null);
  await page.locator('.run-actions .button-primary').click();
  await expect.poll(() => page.locator('.run-status .run-id').textContent(), { timeout: 30_000 }).not.toBe(before);
  await expect.poll(() => status(page).getAttribute('data-status'), { timeout: 120_000 }).toMatch(/completed|failed|cancelled/);
  return (await page.locator('.run-status .run-id').textContent())!;
}

describe('the evaluation apart from the status', () => {
  const ids: Record<string, string> = {};
  let page: Page;

  it('the run panel shows a completed run whose evaluation failed: a failed badge beside the completed chip, the failing stage', async () => {
    page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(session.jetty.served.url);
    await page.getByLabel('Filter runbooks').fill('truth');
    await page.locator('[data-runbook="truth"]').first().click();
    await page.locator('.run-plan').waitFor();

    ids.failing = await runNamed(page, 'failing');
    expect(await status(page).getAttribute('data-status')).toBe('completed');
    const badge = page.locator('.run-status .eval-badge');
    expect(await badge.getAttribute('data-verdict')).toBe('failed');
    expect(await badge.innerText()).toMatch(/^Evaluation:\s*failed\s*1 fail$/);
    // Not told by colour alone: a mark, words, and a shape the status chip does not have.
    expect(await badge.locator('svg.verdict-icon').count()).toBe(1);
    const shape = (selector: string) => page.locator(selector).evaluate((el) => getComputedStyle(el).borderRadius);
    expect(await shape('.run-status .eval-badge')).not.toBe(await shape('.run-status [data-status]'));
    const summary = page.locator('.run-results .evaluation');
    expect(await summary.getAttribute('data-verdict')).toBe('failed');
    const stage = summary.locator('.eval-stage[data-outcome="fail"]');
    expect(await stage.innerText()).toMatch(/line_count\s*fail\s*expected 3 lines, found 2/i);
    await showRun(page);
    await session.browser.screenshotThemes(page, 'evaluation-run-panel-failed');

    ids.incomplete = await runNamed(page, 'incomplete');
    expect(await status(page).getAttribute('data-status')).toBe('completed');
    expect(await page.locator('.run-status .eval-badge').innerText()).toMatch(/^Evaluation:\s*failed\s*1 missing output$/);
    const missing = page.locator('.run-results .evaluation .missing-outputs');
    expect(await missing.innerText()).toContain('greeting.txt');
    expect(await missing.innerText()).not.toContain('summary.md');
    await showRun(page);
    await session.browser.screenshotThemes(page, 'evaluation-run-panel-missing-outputs');

    ids.passing = await runNamed(page, 'Ada');
    expect(await page.locator('.run-status .eval-badge').getAttribute('data-verdict')).toBe('passed');
    expect(await page.locator('.run-status .eval-badge').innerText()).toMatch(/^Evaluation:\s*passed\s*1\/1$/);
  }, 400_000);

  it('the list shows the badge beside the status, filters by evaluation from the keyboard and sorts failed first', async () => {
    await nav(page, 'Trajectories');
    await expect.poll(() => rowIds(page)).toEqual([ids.passing, ids.incomplete, ids.failing]);
    expect(await verdictOf(page, ids.failing)).toBe('failed');
    expect(await verdictOf(page, ids.passing)).toBe('passed');
    expect(await page.locator(`tr[data-trajectory="${ids.incomplete}"] [data-status]`).getAttribute('data-status')).toBe('completed');

    // The segmented control is one radio group: Tab onto it, arrows choose.
    const group = page.getByRole('radiogroup', { name: 'Evaluation' });
    await group.getByRole('radio', { name: 'any' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => rowIds(page)).toEqual([ids.passing]);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => rowIds(page)).toEqual([ids.incomplete, ids.failing]);
    expect(await group.getByRole('radio', { name: 'failed' }).isChecked()).toBe(true);
    await session.browser.screenshotThemes(page, 'evaluation-list-failed');

    // Status and evaluation filter apart: no failed run is a completed-and-passed one.
    await page.getByLabel('Status').selectOption('failed');
    await expect.poll(() => page.locator('.empty-state h2').textContent()).toBe('No trajectory matches');
    await page.getByLabel('Status').selectOption('');
    await group.locator('label[data-verdict="any"]').click();
    await expect.poll(() => rowIds(page)).toHaveLength(3);

    await page.getByLabel('Sort').selectOption('failed_first');
    await expect.poll(() => rowIds(page)).toEqual([ids.incomplete, ids.failing, ids.passing]);
    expect(await page.locator('.trajectory-table th[aria-sort]').textContent()).toBe('Evaluation');
    await page.getByLabel('Sort').selectOption('passed_first');
    await expect.poll(() => rowIds(page)).toEqual([ids.passing, ids.incomplete, ids.failing]);
    await session.browser.screenshotThemes(page, 'evaluation-list-sorted');
    await page.getByLabel('Sort').selectOption('newest');
  });

  it('replay shows the evaluation in its header and the missing required outputs beside the report', async () => {
    await page.locator(`tr[data-trajectory="${ids.incomplete}"] .link-button`).click();
    const header = page.locator('.replay-header');
    await header.waitFor();
    expect(await header.locator('[data-status]').getAttribute('data-status')).toBe('completed');
    expect(await header.locator('.eval-badge').getAttribute('data-verdict')).toBe('failed');
    const side = page.locator('.replay-side .evaluation');
    expect(await side.getAttribute('data-verdict')).toBe('failed');
    expect(await side.locator('.missing-outputs').innerText()).toContain('greeting.txt');
    // The evaluation event says it too (only evaluation events shown).
    await page.getByRole('checkbox', { name: 'evaluation' }).waitFor();
    for (const chip of await page.locator('.type-chips input[type="checkbox"]').all()) {
      const label = (await chip.evaluate((el) => el.parentElement?.textContent ?? '')).trim();
      if (label !== 'evaluation' && (await chip.isChecked())) await chip.uncheck();
    }
    await page.locator('.event-row[data-type="evaluation"] .event-summary').click();
    const view = page.locator('.event-row[data-type="evaluation"] .evaluation-view');
    await expect.poll(() => view.locator('dt').allTextContents()).toContain('missing outputs');
    await session.browser.screenshotThemes(page, 'evaluation-replay-missing-outputs');
  });

  it('compare shows both runs’ evaluations apart from their statuses', async () => {
    await nav(page, 'Trajectories');
    await page.getByLabel(`Pick ${ids.failing} to compare`).check();
    await page.getByLabel(`Pick ${ids.passing} to compare`).check();
    await page.getByRole('button', { name: 'Compare 2 runs' }).click();
    const sides = page.locator('.compare-side');
    await expect.poll(() => sides.count()).toBe(2);
    expect(await sides.locator('.evaluation .eval-badge').evaluateAll((b) => b.map((x) => x.getAttribute('data-verdict')))).toEqual(['failed', 'passed']);
    expect(await sides.locator('.pill[data-status]').evaluateAll((b) => b.map((x) => x.getAttribute('data-status')))).toEqual(['completed', 'completed']);
    expect(await sides.nth(0).locator('.eval-stage[data-outcome="fail"]').innerText()).toContain('line_count');
    await session.browser.screenshotThemes(page, 'evaluation-compare');
    session.browser.assertNoErrors();
    await page.close();
  });
});
