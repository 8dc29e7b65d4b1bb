import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useJettyWithBrowser } from '../helpers/jetty-with-browser';
import { SECRET_REPORT, startRunnableJetty } from './runnable-jetty';

const session = useJettyWithBrowser(startRunnableJetty);

/** What has the focus: its accessible label, else its text, plus its data-param when it is a parameter field. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'body';
    const label = el.getAttribute('aria-label') ?? (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null) ?? el.textContent ?? '';
    return `${el.tagName.toLowerCase()}:${label.trim()}${el.dataset.param ? `#${el.dataset.param}` : ''}`;
  });

async function tabTo(page: Page, target: RegExp, maxTabs = 12): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    seen.push(now);
    if (target.test(now)) return seen;
  }
  throw new Error(`never reached ${target} with Tab; focus went through:\n${seen.join('\n')}`);
}

describe('keyboard-only main flow', () => {
  it('opens a folder, fills the run form, runs, and replays without the mouse', async () => {
    const { jetty, browser } = session;
    const page = await browser.newPage();
    await page.goto(jetty.served.url);
    await page.locator('.nav-tabs').waitFor();

    // Tab order of the top bar: the seven screens, the runs going on, the theme switch, then the folder field and its button.
    const order = await tabTo(page, /^input:Folder path/);
    expect(order).toEqual(['button:Runbooks', 'button:Trajectories', 'button:Compare', 'button:Settings', 'button:Cloud', 'button:Evaluate', 'button:Routines', 'button:No runs', 'button:Switch to the dark theme', 'input:Folder path']);
    await page.keyboard.type(jetty.folder);
    await page.keyboard.press('Enter');
    await page.locator(`[data-runbook="${SECRET_REPORT.name}"]`).waitFor();

    // The runbook row is next after the Open folder button; Enter opens it in the editor, which takes the focus.
    await tabTo(page, new RegExp(`^button:${SECRET_REPORT.name}`));
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-lines').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('.monaco-editor') !== null)).toBe(true);

    // Alt+R jumps from the editor to the run form; Tab walks its fields in order.
    await page.keyboard.press('Alt+r');
    expect(await focused(page)).toMatch(/#results_dir$/);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatch(/#topic$/);
    await page.keyboard.type('keyboard only');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('input:Value of DEMO_TOKEN');
    await page.keyboard.type('kbd-secret-123');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-secret="DEMO_TOKEN"]').getAttribute('data-configured')).toBe('true');

    // Ctrl+Enter runs; the run completes.
    await page.keyboard.press('Control+Enter');
    const status = page.locator('.run-status [data-status]');
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 120_000 }).toBe('completed');

    // Alt+2 shows the trajectories; Tab reaches the run's link; Enter opens the replay.
    await page.keyboard.press('Alt+2');
    await page.locator('tr[data-trajectory]').first().waitFor();
    await tabTo(page, /^button:[0-9a-f]{8}$/, 40);
    await page.keyboard.press('Enter');
    await page.locator('.event-list').waitFor();
    const shown = () => page.locator('.timeline-where').getAttribute('data-shown').then(Number);
    const total = await shown();

    // In the replay, ← steps back one event, Space plays to the end.
    await page.keyboard.press('ArrowLeft');
    await expect.poll(shown).toBe(total - 1);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(shown).toBe(total - 2);
    await page.keyboard.press(' ');
    await expect.poll(shown, { timeout: 30_000 }).toBe(total);

    // Alt+4 opens the settings.
    await page.keyboard.press('Alt+4');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    browser.assertNoErrors();
  });
});
