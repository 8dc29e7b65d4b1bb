// "Suggest fixes" in the browser, with real runs in Docker against the scripted model: an
// evaluation of hello-report whose two trials fail (the runbook never says how many lines),
// the Suggest fixes panel filling (analysis, then the edits' evaluations) and ending with an
// improved edit (pass^2 0% → 100%), an unchanged one and a dropped one with its reason; the
// evidence opens the trial's replay at its step; Apply writes RUNBOOK.md; an edit's evaluation
// opens from a toast, from its card and from the dashboard, and leads back. Light and dark.
import type { Page } from 'playwright-core';
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveWithModel, useJettyWithBrowser } from '../helpers/jetty-with-browser';
import type { Script } from '../helpers/scripted-model-server';
import { NO_SUCH_STEP, OBJECTIVE, PHRASE, SUGGEST_MODEL, suggestModel } from '../helpers/suggest-model';

const HELLO_REPORT = path.resolve('resources/examples/demo/hello-report');

/** The edits' trials (every model call after the analysis) wait until the test lets them go: it looks elsewhere first. */
let letEditsRun = () => {};
const editsMayRun = new Promise<void>((resolve) => (letEditsRun = resolve));
function heldSuggestModel(): Script {
  const { script } = suggestModel();
  let analysed = false;
  return async (request, turn) => {
    const analysis = request.tools?.some((t) => t.type === 'function' && t.function.name === 'propose_edits') ?? false;
    if (analysis) analysed = true;
    else if (analysed) await editsMayRun;
    return script(request, turn);
  };
}

const session = useJettyWithBrowser(() => serveWithModel('suggest', heldSuggestModel(), (folder) => cp(HELLO_REPORT, path.join(folder, 'demo/hello-report'), { recursive: true })));
const runbook = () => path.join(session.jetty.folder, 'demo/hello-report/RUNBOOK.md');
const status = (page: Page) => page.locator('.eval-detail').getAttribute('data-status');

describe('Suggest fixes in the Evaluate view', () => {
  it('suggests fixes for a failing evaluation: each edit evaluated, offered with its before → after pass^k, its evidence opening the replay, applied to RUNBOOK.md', async () => {
    const page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(session.jetty.served.url);
    await page.locator('.nav-tabs').getByRole('button', { name: 'Evaluate', exact: true }).click();
    await page.getByLabel('Runbook', { exact: true }).selectOption({ label: 'demo/hello-report' });
    const form = page.locator('.eval-new');
    await form.waitFor();
    await form.getByLabel('Model of cell 1').fill(SUGGEST_MODEL);
    await form.getByLabel('Trials per cell').fill('2');
    await form.getByLabel('At once').fill('2');
    await form.getByLabel('Name', { exact: true }).fill('hello');
    await form.getByRole('button', { name: 'Evaluate: 2 trials' }).click();
    await expect.poll(() => status(page), { timeout: 120_000 }).toBe('completed');

    const panel = page.locator('.eval-suggestions');
    expect(await panel.getByLabel('Model of the analysis').getAttribute('placeholder')).toBe(SUGGEST_MODEL);
    await panel.getByRole('button', { name: 'Suggest fixes' }).click();
    // Live: the set moves on (analysing, then evaluating its edits, their trials counted) and ends ready.
    await expect.poll(() => panel.locator('.eval-suggestion-progress').textContent().catch(() => ''), { timeout: 60_000, interval: 100 }).toMatch(/^Evaluating 2 edits: [0-3]\/4 trials$/);
    await session.browser.screenshotThemes(page, 'evaluate-suggestions-progress');
    // Elsewhere meanwhile: an edit's evaluation that ends unseen is a toast, which opens it under this runbook; its note leads back.
    const source = await page.locator('.eval-detail').getAttribute('data-evaluation');
    await page.locator('.nav-tabs').getByRole('button', { name: 'Runbooks', exact: true }).click();
    letEditsRun();
    const toast = page.locator('.toast[data-evaluation]').first();
    await toast.waitFor({ timeout: 120_000 });
    expect(await toast.innerText()).toMatch(/^demo\/hello-report · hello · suggestion [12]/);
    await toast.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.locator('.eval-detail h2').innerText()).toMatch(/^hello · suggestion [12]$/);
    await page.getByRole('button', { name: 'Back to the evaluation it was suggested for' }).click();
    await expect.poll(() => page.locator('.eval-detail').getAttribute('data-evaluation')).toBe(source);
    await expect.poll(() => panel.locator('.eval-suggestion-set').getAttribute('data-state'), { timeout: 120_000 }).toBe('ready');
    for (const dismiss of await page.locator('.toast').getByRole('button', { name: /^Dismiss/ }).all()) await dismiss.click();
    const cards = panel.locator('.eval-suggestion');
    expect(await cards.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-number')} ${e.getAttribute('data-state')} ${e.getAttribute('data-verdict')}`))).toEqual(['1 evaluated improved', '2 evaluated unchanged']);
    const fix = cards.first();
    expect(await fix.locator('.eval-lens').innerText()).toBe('Consistent failures');
    expect(await fix.locator('.eval-suggestion-verdict').innerText()).toBe('▲ improved');
    const row = fix.locator('.eval-suggestion-figures tbody tr');
    expect(await row.getAttribute('data-movement')).toBe('up');
    expect(await row.innerText()).toMatch(/0%\s+\(0\/2\)\s+100%\s+\(2\/2\)\s+0% → 100%\s+▲/);
    expect(await fix.locator('.diff-added').innerText()).toContain(PHRASE);
    // The edit adds lines after the objective: the objective stays as context, not removed and added again.
    expect(await fix.locator('.diff-removed').count()).toBe(0);
    expect(await fix.locator('.diff-same').innerText()).toContain(OBJECTIVE);
    expect(await cards.nth(1).locator('.eval-suggestion-figures tbody tr').getAttribute('data-movement')).toBe('same');
    // The dropped proposal, with why, under a summary (open when nothing was offered).
    expect(await panel.locator('.eval-suggestion-dropped summary').innerText()).toBe('1 proposal dropped');
    await panel.locator('.eval-suggestion-dropped summary').click();
    expect(await panel.locator('.eval-suggestion-dropped li').innerText()).toMatch(new RegExp(`^Stop on the first error: evidence [0-9a-f]{8}: it has no step ${NO_SUCH_STEP}$`));
    await panel.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await session.browser.screenshotThemes(page, 'evaluate-suggestions');

    // Apply, confirmed in place: RUNBOOK.md holds the edit.
    await fix.getByRole('button', { name: 'Apply to RUNBOOK.md' }).click();
    await fix.getByRole('button', { name: 'Apply', exact: true }).click();
    await fix.getByRole('status').filter({ hasText: 'Written to RUNBOOK.md' }).waitFor();
    expect(await readFile(runbook(), 'utf8')).toContain(`${OBJECTIVE}\n\n${PHRASE}`);
    // The other edit was made to the text before: a conflict, said as such.
    const other = cards.nth(1);
    await other.getByRole('button', { name: 'Apply to RUNBOOK.md' }).click();
    await other.getByRole('button', { name: 'Apply', exact: true }).click();
    expect(await other.getByRole('alert').innerText()).toMatch(/RUNBOOK\.md changed since it was evaluated/);

    // An edit's own evaluation opens from its card, says what it is and leads back; nothing to re-run or suggest on it.
    await fix.getByRole('button', { name: 'Open its evaluation' }).click();
    const edited = page.locator('.eval-detail');
    await expect.poll(() => edited.getAttribute('data-evaluation')).not.toBe(source);
    expect(await edited.locator('h2').innerText()).toBe('hello · suggestion 1');
    expect(await edited.locator('.eval-suggestion-of').innerText()).toBe('This evaluates the edit of suggestion 1, made to a copy of RUNBOOK.md. Back to the evaluation it was suggested for');
    expect(await edited.getByRole('button', { name: 'Re-run failures' }).count()).toBe(0);
    expect(await edited.locator('.eval-suggestions').count()).toBe(0);
    await edited.getByRole('button', { name: 'Back to the evaluation it was suggested for' }).click();
    await expect.poll(() => page.locator('.eval-detail').getAttribute('data-evaluation')).toBe(source);

    // The runbook's dashboard lists the edits' evaluations under the one they were suggested for, and charts the runbook's own only.
    await page.getByRole('button', { name: /: all evaluations$/ }).click();
    const rows = page.locator('.eval-dashboard .eval-list tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.locator('.eval-list-suggestion').allInnerTexts()).toEqual(['edit 2 suggested for hello', 'edit 1 suggested for hello']);
    expect(await page.locator('.eval-trend[data-trend="Pass rate by evaluation"] .eval-trend-dot').count()).toBe(1);
    // Its runs are the runbook's two failed trials, not the edited copies'.
    expect(await page.locator('.eval-trend[data-trend="Runs passed per day"] figcaption strong').innerText()).toBe('0%');
    await session.browser.screenshotThemes(page, 'evaluate-suggestions-dashboard');
    await rows.locator('.eval-list-suggestion button').first().click();
    await expect.poll(() => page.locator('.eval-detail').getAttribute('data-evaluation')).toBe(source);

    // Evidence opens the failed trial's replay at the cited step.
    const evidence = fix.locator('.eval-suggestion-evidence button').first();
    const runId = (await evidence.locator('code').innerText()).trim();
    await evidence.click();
    await page.locator(`main.replay[aria-label="Replay of ${runId}"]`).waitFor({ timeout: 20_000 });
    session.browser.assertNoErrors();
  }, 300_000);
});
