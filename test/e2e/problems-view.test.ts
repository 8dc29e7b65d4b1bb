import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useJettyWithBrowser } from '../helpers/jetty-with-browser';
import { startJettyServe } from '../helpers/serve';

// Problems in bulk: the open folder's problems grouped by rule and by runbook, fix-all, ignore
// a rule in a runbook or in the folder (from the view and from the editor's quick fixes), a
// workflow's JSON error at its line and column, and the list's badges following the buffer.

const CLEAN = path.resolve('test/fixtures/runbooks/clean/RUNBOOK.md');
/** A workflow file cut short: its JSON error is on line 4. */
const BROKEN_WORKFLOW = '{\n  "init_params": {},\n  "steps": ["a"]\n  "step_configs": {}\n}\n';

async function serveProblems() {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'jetty-e2e-problems-'));
  await cp(path.resolve('test/fixtures/workspace'), folder, { recursive: true });
  const clean = await readFile(CLEAN, 'utf8');
  for (const [name, vars] of [['forecast', '{{region}}'], ['tides', '{{harbour}}']] as const) {
    await mkdir(path.join(folder, 'runbooks', 'weather', name), { recursive: true });
    await writeFile(path.join(folder, 'runbooks', 'weather', name, 'RUNBOOK.md'), clean.replace('Fetch the forecast', `Fetch the forecast for ${vars}`));
  }
  await mkdir(path.join(folder, 'flows'), { recursive: true });
  await writeFile(path.join(folder, 'flows', 'cut.workflow.json'), BROKEN_WORKFLOW);
  const served = await startJettyServe(folder);
  return { folder, served, stop: async () => ((await served.stop()) ?? null, await rm(folder, { recursive: true, force: true }), 0) };
}

const session = useJettyWithBrowser(serveProblems);
const group = (page: Page, rule: string) => page.locator(`.problems-group[data-rule="${rule}"]`);
const rules = (page: Page) => page.locator('.problems-group[data-rule]').evaluateAll((g) => g.map((x) => (x as HTMLElement).dataset.rule));

describe('problems in bulk', () => {
  it('groups the folder’s problems by rule and by runbook, fixes all of a rule, and ignores rules here or in the folder', async () => {
    const { jetty, browser } = session;
    const page = await browser.newPage({ colorScheme: 'light' });
    await page.goto(jetty.served.url);
    await page.locator('[data-runbook="forecast"]').waitFor();
    await page.keyboard.press('Control+Shift+M');
    await page.getByRole('main', { name: 'Problems' }).waitFor();
    await expect.poll(() => rules(page)).toEqual(expect.arrayContaining(['RB001', 'RB010', 'WF000', 'RB016', 'RB030']));
    expect(await group(page, 'RB010').locator('.problems-row').count()).toBe(3); // forecast, tides, rotate-logs (no fix there)
    expect(await group(page, 'RB010').getByRole('button', { name: 'Fix all (2)' }).count()).toBe(1);
    // The workflow's JSON error says where, in its line and column.
    expect(await group(page, 'WF000').locator('.problem-text').textContent()).toMatch(/^not valid JSON at line 4, column 3: /);
    expect(await group(page, 'WF000').locator('.problem-where').textContent()).toContain('line 4');
    await browser.screenshotThemes(page, 'problems-by-rule');

    await group(page, 'RB010').getByRole('button', { name: 'Fix all (2)' }).click();
    await expect.poll(() => page.locator('.problems-note').textContent()).toBe('Fixed 2 RB010 problems in 2 runbooks.');
    await expect.poll(() => group(page, 'RB010').locator('.problems-row').count()).toBe(1);
    expect(await readFile(path.join(jetty.folder, 'runbooks', 'weather', 'tides', 'RUNBOOK.md'), 'utf8')).toMatch(/\| harbour .*\*\(required\)\*/);

    await group(page, 'RB030').getByRole('button', { name: 'Ignore in this folder' }).click();
    await expect.poll(() => rules(page)).not.toContain('RB030');
    expect(JSON.parse(await readFile(path.join(jetty.folder, '.jettylintrc.json'), 'utf8'))).toEqual({ ignore: ['RB030'] });

    // By runbook: a problem's "Ignore here" writes that runbook's lint_ignore.
    await page.locator('.segmented label', { hasText: 'By runbook' }).click();
    const rotate = page.locator('.problems-group[data-file-group$="rotate-logs/RUNBOOK.md"]');
    await rotate.locator('.problems-row[data-code="RB016"]').getByRole('button', { name: 'Ignore here' }).click();
    await expect.poll(() => rotate.locator('.problems-row[data-code="RB016"]').count()).toBe(0);
    expect(await readFile(path.join(jetty.folder, 'runbooks', 'ops', 'rotate-logs', 'RUNBOOK.md'), 'utf8')).toContain('lint_ignore: [RB016]');
    await browser.screenshotThemes(page, 'problems-by-runbook');

    // A problem opens its file at its line: the workflow, in its editor.
    await page.locator('.segmented label', { hasText: 'By rule' }).click();
    await group(page, 'WF000').locator('.problem').click();
    await expect.poll(() => page.locator('.editor-path').textContent()).toContain('cut.workflow.json');
    await expect.poll(() => page.locator('.monaco-editor .current-line').count()).toBeGreaterThan(0);
    browser.assertNoErrors();
    await page.close();
  });

  it('the list’s badges follow the unsaved buffer, and the editor ignores a rule in this runbook with Ctrl+.', async () => {
    const { jetty, browser } = session;
    const page = await browser.newPage({ colorScheme: 'light' });
    await page.goto(jetty.served.url);
    const row = page.locator('.runbook-row[data-runbook="weekly-metrics"]');
    await row.click();
    await page.locator('.monaco-editor .view-lines').waitFor();
    const badges = row.locator('.row-badges');
    expect(await badges.getAttribute('data-from')).toBe('disk');
    expect(await badges.locator('.badge-ok').count()).toBe(1);
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    const typed = '\nUse {{not_declared}} here.';
    await page.keyboard.insertText(typed);
    // The row counts the buffer's error before anything is saved.
    await expect.poll(() => badges.locator('.badge-error').textContent()).toBe('1');
    expect(await badges.getAttribute('data-from')).toBe('buffer');
    await browser.screenshotThemes(page, 'problems-badge-follows-buffer');
    await page.keyboard.press('Control+End');
    for (let i = 0; i < typed.length; i++) await page.keyboard.press('Backspace');
    await expect.poll(() => badges.getAttribute('data-from')).toBe('disk');
    expect(await badges.locator('.badge-ok').count()).toBe(1);

    // Ignoring a rule from the editor edits the buffer's frontmatter (saved with the rest).
    await page.locator('.runbook-row[data-runbook="rotate-logs"]').click();
    await page.locator('.problem[data-code="RB019"]').click();
    await page.keyboard.press('Control+.');
    const ignore = page.locator('.action-widget').getByText('Ignore RB019 in this runbook (lint_ignore)');
    await ignore.waitFor();
    await browser.screenshotThemes(page, 'problems-ignore-quick-fix');
    await ignore.click();
    await page.locator('.problem[data-code="RB019"]').waitFor({ state: 'detached' });
    await page.locator('.editor-header .dirty-mark').waitFor();
    // In the buffer, beside what the Problems view wrote to the file before.
    expect((await page.locator('.monaco-editor .view-lines').textContent())?.replace(/\u00a0/g, ' ')).toContain('lint_ignore: [RB016, RB019]');
    browser.assertNoErrors();
    await page.close();
  });
});
