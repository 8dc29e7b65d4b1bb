import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { callJetty } from '../helpers/evaluation-rest';
import { useJettyWithBrowser } from '../helpers/jetty-with-browser';
import { openFixture, SECRET_REPORT, startFixtureRun, startRunnableJetty } from './runnable-jetty';

// Always knowing what is running: the header's indicator (count, runbook, phase, elapsed,
// one activation to the live log), the window title, the runbook row marked while it runs,
// a full-width live log that pops out, a notification and a toast when a run ends while the
// app shows something else, and the runbook's last run kept across a reload. A real run in
// Docker against the scripted model; its first command takes a few seconds, so it is seen running.
const session = useJettyWithBrowser(() => startRunnableJetty({ firstCommand: 'echo warming up; sleep 12; echo warmed up' }));

/** Records the notifications the page shows (the page's own Notification, observed). */
async function recordNotifications(page: Page) {
  await page.addInitScript(() => {
    const Real = window.Notification;
    const shown: { title: string; body?: string }[] = [];
    (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
    class Observed extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push({ title, body: options?.body });
      }
    }
    Object.defineProperty(window, 'Notification', { value: Observed, configurable: true });
  });
}
const shownNotifications = (page: Page) => page.evaluate(() => (window as unknown as { shownNotifications: { title: string; body?: string }[] }).shownNotifications);

describe('run awareness', () => {
  it('shows the run going on in the header and its row, opens its wide live log, notifies when it ends unseen, and keeps its state across a reload', async () => {
    const { jetty, browser } = session;
    const page = await browser.newPage({ colorScheme: 'light' });
    await page.context().grantPermissions(['notifications'], { origin: jetty.served.origin });
    await recordNotifications(page);
    const runId = await startFixtureRun(page, jetty, 'awareness');

    // The header counts it, the title too, and the runbook's row says it runs.
    await expect.poll(() => page.locator('.running').getAttribute('data-count'), { timeout: 30_000 }).toBe('1');
    await expect.poll(() => page.title()).toBe('(1 running) Jetty Desktop');
    const row = page.locator(`.runbook-row[data-runbook="${SECRET_REPORT.name}"]`);
    await expect.poll(() => row.getAttribute('data-running')).toBe('true');
    await page.keyboard.press('Alt+Shift+R');
    const item = page.locator(`.running-item[data-trajectory="${runId}"]`);
    await item.waitFor();
    expect(await item.locator('.running-title').textContent()).toBe(`${SECRET_REPORT.collection}/${SECRET_REPORT.name}`);
    await expect.poll(() => item.locator('.running-phase').textContent(), { timeout: 60_000 }).toBe('agent working');
    expect(await item.locator('.running-elapsed').textContent()).toMatch(/^\d+:\d\d$/);
    await browser.screenshotThemes(page, 'running-indicator');
    await page.keyboard.press('Escape');

    // From the palette (only while a run goes on): the newest run's live log across the window.
    await page.keyboard.press('F1');
    await page.getByLabel('Type a command').fill('newest run');
    await expect.poll(() => page.locator('.command-palette [aria-selected="true"]').getAttribute('data-command')).toBe('runs.openLive');
    await page.keyboard.press('Enter');
    const live = page.getByRole('main', { name: `Live log of ${runId}` });
    await live.waitFor();
    await expect.poll(() => live.locator('.log').textContent(), { timeout: 60_000 }).toContain('warming up');
    expect(await live.locator('.log').evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThan(1000);
    await browser.screenshotThemes(page, 'live-log-wide');

    // Elsewhere when it ends: a notification and a toast; the count and the title go back.
    expect(await page.locator('.running').getAttribute('data-count')).toBe('1'); // still running: it ends unseen
    await page.keyboard.press('Alt+4');
    const toast = page.locator(`.toast[data-trajectory="${runId}"]`);
    await toast.waitFor({ timeout: 120_000 });
    expect(await toast.getAttribute('data-status')).toBe('completed');
    await expect.poll(() => shownNotifications(page)).toEqual([{ title: `${SECRET_REPORT.collection}/${SECRET_REPORT.name}: completed`, body: `Run ${runId} completed · passed` }]);
    expect(await page.locator('.running').getAttribute('data-count')).toBe('0');
    expect(await page.title()).toBe('Jetty Desktop');
    await browser.screenshotThemes(page, 'run-ended-toast');

    // The toast opens the run's replay.
    await toast.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('main', { name: `Replay of ${runId}` }).waitFor();
    await toast.waitFor({ state: 'detached' });
    // Nothing runs now: the palette offers no live log.
    await page.keyboard.press('F1');
    await page.getByLabel('Type a command').fill('newest run');
    expect(await page.locator('.command-palette [data-command="runs.openLive"]').count()).toBe(0);
    await page.keyboard.press('Escape');

    // From the run panel, the run's log full width, and from there a window of its own that shows the log alone.
    await page.keyboard.press('Alt+1');
    await page.locator('.run-panel').getByRole('button', { name: 'Full width' }).click();
    await live.waitFor();
    const [popup] = await Promise.all([page.context().waitForEvent('page'), live.getByRole('button', { name: 'Pop out' }).click()]);
    await popup.locator('.live-page.is-pop-out').waitFor();
    // The whole log, read again in the new window (not only what arrives from now on).
    await expect.poll(() => popup.locator('.log').textContent(), { timeout: 30_000 }).toMatch(/warming up[\s\S]*warmed up[\s\S]*summary\.md/);
    expect(await popup.locator('.topbar').count()).toBe(0);
    await browser.screenshot(popup, 'live-log-pop-out');
    await popup.close();

    // After a reload, the runbook's row and its run panel still say how its last run went.
    await page.reload();
    await row.waitFor();
    await expect.poll(() => row.locator('.run-mark').getAttribute('data-run')).toBe('completed');
    expect(await row.locator('.run-mark').getAttribute('data-verdict')).toBe('passed');
    await row.click();
    const status = page.locator('.run-panel .run-status');
    await expect.poll(() => status.locator('[data-status]').getAttribute('data-status')).toBe('completed');
    expect(await status.locator('.run-id').textContent()).toBe(runId);
    await expect.poll(() => page.locator('.run-panel .log').textContent()).toContain('warmed up');
    await browser.screenshotThemes(page, 'runbook-last-run');
    browser.assertNoErrors();
  });

  it('notifies when an evaluation ends while the app shows something else (its trials are not announced one by one), and opens it in Evaluate', async () => {
    const { jetty, browser } = session;
    const page = await browser.newPage({ colorScheme: 'dark' });
    await page.context().grantPermissions(['notifications'], { origin: jetty.served.origin });
    await recordNotifications(page);
    // The fixture folder open, DEMO_TOKEN in the vault; the runbook's panel shown, not the evaluation.
    await openFixture(page, jetty, 'evaluated');

    const started = await callJetty(jetty.served, 'POST', `/evaluations/${SECRET_REPORT.collection}/${SECRET_REPORT.name}`, { name: 'nightly', cells: [{}], trials: 1, params: { topic: 'evaluated' } });
    expect(started.status, JSON.stringify(started.json)).toBe(201);
    const id = started.json.evaluation_id as string;
    // Seen running (its trial in the header), then ended unseen.
    await expect.poll(() => page.locator('.running').getAttribute('data-count'), { timeout: 60_000 }).toBe('1');
    const toast = page.locator(`.toast[data-evaluation="${id}"]`);
    await toast.waitFor({ timeout: 120_000 });
    expect(await toast.getAttribute('data-status')).toBe('completed');
    expect(await toast.textContent()).toContain('1/1 trials passed');
    await expect.poll(() => shownNotifications(page)).toEqual([{ title: `${SECRET_REPORT.collection}/${SECRET_REPORT.name} · nightly: completed`, body: `Evaluation ${id} completed · 1/1 trials passed` }]);
    expect(await page.locator('.toast[data-trajectory]').count()).toBe(0);
    await browser.screenshotThemes(page, 'evaluation-ended-toast');

    await toast.getByRole('button', { name: 'Open' }).click();
    await page.locator(`.eval-detail[data-evaluation="${id}"]`).waitFor();
    await toast.waitFor({ state: 'detached' });
    browser.assertNoErrors();
  });
});
