import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { startFixtureRun, startRunnableJetty, type RunnableJetty } from './runnable-jetty';

let jetty: RunnableJetty;
let browser: TestBrowser;

beforeAll(async () => {
  // The run's first command takes a while, so its replay can be opened while it runs.
  [jetty, browser] = await Promise.all([startRunnableJetty({ firstCommand: 'echo warming up; sleep 4; echo warmed up' }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  expect(await jetty?.stop()).toBe(0);
});

const shown = (page: Page) => page.locator('.timeline-where').getAttribute('data-shown').then(Number);
const eventText = (page: Page) => page.locator('.event-list').textContent().then((t) => t ?? '');
const commandOutput = (page: Page) => page.locator('.event-row[data-type="command_output"]').allTextContents().then((t) => t.join('\n'));
/** How far (px) the event list is scrolled from its bottom. */
const fromBottom = (page: Page) => page.locator('.event-list').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
/** The rendered rows' events (seq) and lines (a command output event can show as several lines). */
const renderedRows = (page: Page) => page.locator('.event-row').evaluateAll((rows) => rows.map((r) => ({ seq: Number((r as HTMLElement).dataset.seq), line: Number((r as HTMLElement).dataset.line) })));

async function openReplay(page: Page, id: string) {
  await page.locator('.nav-tabs').getByRole('button', { name: 'Trajectories', exact: true }).click();
  await page.locator(`tr[data-trajectory="${id}"] .link-button`).click();
  await page.locator('.event-list').waitFor();
}

describe('live replay', () => {
  it('follows a running trajectory: events appear as they happen, once each, and the status turns completed', async () => {
    const page = await browser.newPage({ colorScheme: 'light' });
    const runId = await startFixtureRun(page, jetty, 'live replay');

    // Opened while the first command sleeps: what happened so far is there, the rest is not yet.
    await openReplay(page, runId);
    const status = page.locator('.replay-header [data-status]');
    await expect.poll(() => commandOutput(page), { timeout: 60_000 }).toContain('warming up');
    expect(await commandOutput(page)).not.toContain('warmed up');
    expect(await status.getAttribute('data-status')).toBe('running');
    const midway = await shown(page);
    await browser.screenshot(page, 'replay-live');

    // Events keep arriving and the header follows the run to its end (status, evaluation, results).
    await expect.poll(() => commandOutput(page), { timeout: 30_000 }).toContain('warmed up');
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 60_000 }).toBe('completed');
    await page.locator('.replay-side .evaluation[data-passed="true"]').waitFor();
    await page.locator('.replay-side [data-artifact="summary.md"]').waitFor();
    await expect.poll(() => eventText(page)).toContain('run: completed');
    const live = await shown(page);
    expect(live).toBeGreaterThan(midway);

    // At the end, the list stayed at the end: scrolled to the bottom, the last event rendered; every row shows once.
    await expect.poll(() => fromBottom(page)).toBeLessThan(24);
    const rendered = await renderedRows(page);
    expect(new Set(rendered.map((r) => r.line)).size).toBe(rendered.length);
    expect(Math.max(...rendered.map((r) => r.seq))).toBe(live);
    await browser.screenshot(page, 'replay-live-completed');

    // An opened row shows its type's own view: the evaluation's verdict and counts, an artifact's file facts.
    await page.locator('.event-row[data-type="evaluation"] .event-summary').click();
    const evaluation = page.locator('.event-row[data-type="evaluation"] .evaluation-view');
    await expect.poll(() => evaluation.locator('dt').allTextContents()).toEqual(['passed', 'pass', 'partial', 'fail']);
    expect(await evaluation.locator('dd').first().textContent()).toBe('yes');
    await page.locator('.event-row[data-type="artifact"] .event-summary').first().click();
    const artifact = page.locator('.event-row[data-type="artifact"] .artifact-view').first();
    await expect.poll(() => artifact.locator('dt').allTextContents()).toEqual(['file', 'type', 'size', 'sha256']);

    // The same trajectory opened afresh, all from storage, has exactly what the live view showed.
    await openReplay(page, runId);
    await expect.poll(() => page.locator('.timeline-where').textContent()).toContain(`event ${live} of ${live}`);
    browser.assertNoErrors();
  });
});
