// Issue 15, Build 2 and 7 in the browser: errors in plain words, quick fixes, silenced rules,
// the lint facts, unsaved edits that survive a reload, Ctrl+S wherever the focus is — on a
// generated folder of 120 runbooks (nested collections, lint errors, unsaved edits).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useJettyWithBrowser } from '../helpers/jetty-with-browser';
import { startJettyServe } from '../helpers/serve';
import { generateRunbooks } from './generated-runbooks';

async function serveGenerated() {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'jetty-e2e-lint-ux-'));
  await generateRunbooks(folder);
  const served = await startJettyServe(folder);
  return { folder, served, stop: async () => ((await served.stop()) ?? null, await rm(folder, { recursive: true, force: true }), 0) };
}

const session = useJettyWithBrowser(serveGenerated);
const runbookFile = (name: string) => path.join(session.jetty.folder, 'runbooks', 'issue15', name, 'RUNBOOK.md');

/** Opens issue15/<name> from the list (filtered, as a user would in a long list). */
async function open(page: Page, name: string) {
  await page.getByLabel('Filter runbooks').fill(name);
  await page.locator(`[data-runbook="${name}"]`).first().click();
  await page.locator('.monaco-editor .view-lines').waitFor();
  await page.locator('.problems').waitFor();
}

describe('lint in the app', () => {
  it('lists 120 generated runbooks and speaks plainly about a YAML error', async () => {
    const page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(session.jetty.served.url);
    await expect.poll(() => page.locator('[data-runbook]').count()).toBeGreaterThanOrEqual(100);
    await open(page, 'bad-yaml');
    const problem = page.locator('.problem[data-code="RB001"]');
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(/invalid YAML in frontmatter: .*A list or mapping opened with \[ or \{ is not closed/);
    expect(await page.locator('.run-panel').textContent()).not.toContain('jetty lint');
    await session.browser.screenshotThemes(page, 'lint-yaml-plain-words');
    await page.close();
  });

  it('applies the quick fix for an undeclared variable (Ctrl+.)', async () => {
    const page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(session.jetty.served.url);
    await open(page, 'lint-error');
    const problem = page.locator('.problem[data-code="RB010"]');
    await problem.click(); // jumps to the variable
    await page.keyboard.press('Control+.');
    const action = page.locator('.action-widget').getByText("Add a Parameters row for 'language'");
    await action.waitFor();
    await session.browser.screenshotThemes(page, 'lint-quick-fix-menu');
    await action.click();
    await problem.waitFor({ state: 'detached' });
    await page.locator('.editor-header .dirty-mark').waitFor();
    await page.keyboard.press('Control+s');
    await page.locator('.editor-header .dirty-mark').waitFor({ state: 'detached' });
    expect(await readFile(runbookFile('lint-error'), 'utf8')).toContain('| Times | `{{times}}` | `3` | How many lines to write (1–100) |\n| language | `{{language}}` | *(required)* |  |\n');
    await page.close();
  });

  it('honours silenced rules and the lint facts: {{ name }} is a parameter, bare-word defaults are kept', async () => {
    const page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(session.jetty.served.url);
    // Silenced per folder (team-5/.jettylintrc.json) and per runbook (lint_ignore): no RB019 in either.
    await page.getByLabel('Filter runbooks').fill('task-5');
    await page.locator('[data-runbook="task-5"]').first().click();
    await page.locator('.problems').waitFor();
    await expect.poll(() => page.locator('.problems-count').textContent()).toBe('0');
    await open(page, 'silenced');
    await expect.poll(() => page.locator('.problems-count').textContent()).toBe('0');
    await open(page, 'spaced');
    await expect.poll(() => page.locator('[data-param="format"]').count()).toBe(1);
    expect(await page.locator('[data-param="format"]').inputValue()).toBe('markdown_and_csv');
    expect(await page.locator('.problem[data-code="RB010"]').count()).toBe(0);
    await page.close();
  });
});

describe('unsaved work', () => {
  it('keeps unsaved edits across a reload, and Ctrl+S saves from a parameter field', async () => {
    const page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(session.jetty.served.url);
    await open(page, 'truth');
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    const typed = 'Unsaved line that must survive a reload.';
    await page.keyboard.insertText(`\n${typed}`);
    await page.locator('.editor-header .dirty-mark').waitFor();
    const file = runbookFile('truth');
    // The draft is kept shortly after typing; wait for it, then reload.
    await expect.poll(() => page.evaluate((p) => localStorage.getItem(`jetty.draft:${p}`)?.includes('must survive') ?? false, file)).toBe(true);
    await page.reload();
    await open(page, 'truth');
    await page.locator('.restored-draft').waitFor();
    await page.locator('.editor-header .dirty-mark').waitFor();
    expect(await readFile(file, 'utf8')).not.toContain(typed);
    await session.browser.screenshotThemes(page, 'editor-restored-draft');

    // Ctrl+S with the focus in the run panel's form, not in the editor.
    await page.locator('[data-param="name"]').focus();
    await page.keyboard.press('Control+s');
    await page.locator('.editor-header .dirty-mark').waitFor({ state: 'detached' });
    expect(await readFile(file, 'utf8')).toContain(typed);
    await expect.poll(() => page.evaluate((p) => localStorage.getItem(`jetty.draft:${p}`), file)).toBeNull();
    session.browser.assertNoErrors();
    await page.close();
  });
});
