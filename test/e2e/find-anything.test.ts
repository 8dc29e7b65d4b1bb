import { describe, expect, it } from 'vitest';
import { useJettyWithBrowser } from '../helpers/jetty-with-browser';
import { SECRET_REPORT, startFixtureRun, startRunnableJetty } from './runnable-jetty';

// Finding anything: a word of a run's tool call found by the trajectory list's full-text search
// (typed, the last word a prefix), where it matched shown and opening the replay at that event;
// sortable columns; a runbook found by a word of its text; quick open fuzzy with the matched
// letters marked. A real run in Docker against the scripted model.
const session = useJettyWithBrowser(() => startRunnableJetty({ firstCommand: 'echo quokka lantern seventeen' }));

describe('find anything', () => {
  it('finds a run by a word of its tool call, opens the replay at it, sorts by a column, finds a runbook by its text, and quick-opens fuzzily', async () => {
    const { jetty, browser } = session;
    const page = await browser.newPage({ colorScheme: 'light' });
    const runId = await startFixtureRun(page, jetty, 'finding');
    await expect.poll(() => page.locator('.run-status [data-status]').getAttribute('data-status'), { timeout: 120_000 }).toBe('completed');

    // Full-text search, the last word a prefix while it is typed: the run and where it matched.
    await page.keyboard.press('Alt+2');
    const search = page.getByPlaceholder(/^words in events/);
    await search.fill('quokka lant');
    const hits = page.locator(`.hit-row[data-hit-for="${runId}"] .hit`);
    await hits.first().waitFor();
    expect(await page.locator('.trajectory-table tbody tr[data-trajectory]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.trajectory))).toEqual([runId]);
    // Where the words first appear in the run: the model's answer that made the tool call (a message of its model call).
    expect(await hits.count()).toBe(1);
    const hit = hits.first();
    expect(await hit.getAttribute('data-where')).toBe('message');
    expect(await hit.locator('mark').allTextContents()).toEqual(expect.arrayContaining(['quokka']));
    await browser.screenshotThemes(page, 'find-trajectories');
    const seq = await hit.getAttribute('data-seq');
    expect(Number(seq)).toBeGreaterThan(0);
    await hit.click();
    const focus = page.locator('.event-row.is-focus');
    await focus.waitFor();
    expect(await focus.getAttribute('data-seq')).toBe(seq);
    expect(await focus.getAttribute('data-type')).toBe('model_call');
    await browser.screenshotThemes(page, 'find-opens-replay');

    // A word no run holds: nothing; the columns sort, again the other way.
    await page.keyboard.press('Alt+2');
    await search.fill('quokka marmalade');
    await page.getByRole('heading', { name: 'No trajectory matches' }).waitFor();
    await search.fill('');
    await page.locator(`tr[data-trajectory="${runId}"]`).waitFor();
    const tokens = page.locator('.sort-header[data-column="tokens"]');
    await tokens.click();
    const sorted = () => page.locator('th:has(.sort-header[data-column="tokens"])').getAttribute('aria-sort');
    await expect.poll(sorted).toMatch(/^(ascending|descending)$/);
    const first = await sorted();
    await tokens.click();
    await expect.poll(sorted).toBe(first === 'ascending' ? 'descending' : 'ascending');

    // The runbook filter searches runbook texts when asked to.
    await page.keyboard.press('Alt+1');
    await page.getByLabel('Search text').check();
    await page.getByLabel('Filter runbooks').fill('pretend service');
    const row = page.locator(`.runbook-row[data-runbook="${SECRET_REPORT.name}"]`);
    await row.waitFor();
    await page.getByLabel('Filter runbooks').fill('pretend marmalade');
    await row.waitFor({ state: 'detached' });
    await page.getByLabel('Filter runbooks').fill('');

    // Quick open: fuzzy, the matched letters marked.
    await page.keyboard.press('Control+P');
    await page.getByLabel('Runbook to open').fill('scrpt');
    const option = page.locator(`.quick-open-runbooks [role="option"][data-path*="${SECRET_REPORT.name}"]`);
    await option.waitFor();
    expect((await option.locator('mark').allTextContents()).join('')).toBe('scrpt');
    await browser.screenshotThemes(page, 'quick-open-fuzzy');
    await page.keyboard.press('Escape');
    browser.assertNoErrors();
  });
});
