import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { serveWorkspaceCopy, useJettyWithBrowser } from '../helpers/jetty-with-browser';

const session = useJettyWithBrowser(serveWorkspaceCopy);

/** The editor text around the end of the buffer (Monaco only renders the lines in view). */
async function editorTail(page: Page) {
  await page.keyboard.press('Control+End');
  return editorText(page);
}
const suggestions = (page: Page) => page.locator('.suggest-widget .monaco-list-row').allTextContents();
/** The visible editor text (Monaco renders spaces as no-break spaces). */
const editorText = async (page: Page) => ((await page.locator('.monaco-editor .view-lines').textContent()) ?? '').replace(/\u00a0/g, ' ');

describe('editor assistance and the folder on disk', () => {
  it('creates a runbook from a template, completes and explains frontmatter and variables, and follows outside edits', async () => {
    const { jetty: served, browser } = session;
    const { folder } = served;
    const page = await browser.newPage();
    await page.goto(served.url);

    // Create from the programmatic template: the file is written with its name and opened.
    await page.getByRole('button', { name: '+ New' }).click();
    await page.getByLabel('Collection').fill('drafts');
    await page.getByLabel('Name').fill('my-new');
    await page.getByRole('button', { name: 'Create' }).click();
    const file = path.join(folder, 'drafts/my-new/RUNBOOK.md');
    await page.locator('[data-collection="drafts"] [data-runbook="my-new"]').waitFor();
    expect(await readFile(file, 'utf8')).toContain('# my-new — Agent Runbook');
    await page.locator('.monaco-editor .view-lines').waitFor();
    await expect.poll(() => editorText(page)).toContain('my-new — Agent Runbook');

    // Refused: the same name again, and a name with a path separator.
    await page.getByRole('button', { name: '+ New' }).first().click();
    await page.getByLabel('Collection').fill('drafts');
    await page.getByLabel('Name').fill('my-new');
    await page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.locator('.new-runbook [role="alert"]').textContent()).toContain('already exists');
    await page.getByLabel('Name').fill('../escape');
    await page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.locator('.new-runbook [role="alert"]').textContent()).toContain('use letters, digits');
    await page.getByRole('button', { name: 'Cancel' }).click();

    // Frontmatter key completion, then its values.
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('model_pro');
    await page.keyboard.press('Control+Space');
    await expect.poll(() => suggestions(page)).toEqual(expect.arrayContaining([expect.stringContaining('model_provider')]));
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+Space');
    await expect.poll(() => suggestions(page)).toEqual(expect.arrayContaining(['anthropic', 'openrouter', 'openai', 'google'].map((v) => expect.stringContaining(v))));
    await page.keyboard.type('openr');
    await page.keyboard.press('Enter');
    await expect.poll(() => editorText(page)).toContain('model_provider: openrouter');
    await browser.screenshot(page, 'editor-completion');

    // {{ offers the declared parameters.
    await page.keyboard.press('Control+End');
    await page.keyboard.type('Uses {{');
    await expect.poll(() => suggestions(page)).toEqual(expect.arrayContaining([expect.stringContaining('results_dir'), expect.stringContaining('input_text')]));
    await page.keyboard.press('Escape');
    await page.keyboard.type('input_text}}.');

    // Hover over a frontmatter key explains it.
    await page.keyboard.press('Control+Home');
    await page.locator('.view-line', { hasText: /^agent:/ }).locator('span').first().hover({ position: { x: 6, y: 5 } });
    await expect.poll(() => page.locator('.monaco-hover').first().textContent(), { timeout: 10_000 }).toContain('agent runtime');
    await browser.screenshot(page, 'editor-hover');

    // Save; an outside edit then reloads the clean buffer.
    await page.keyboard.press('Control+s');
    await page.getByLabel('unsaved changes').waitFor({ state: 'detached' });
    await appendFile(file, '\nAppended outside the app.\n');
    await expect.poll(() => editorTail(page), { timeout: 10_000 }).toContain('Appended outside the app.');
    expect(await page.getByLabel('unsaved changes').count()).toBe(0);

    // With unsaved edits, an outside change is reported, not applied, until asked.
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('Mine, unsaved.');
    await writeFile(file, '# Replaced outside\n');
    await page.locator('.disk-conflict').waitFor({ timeout: 10_000 });
    expect(await page.getByLabel('unsaved changes').count()).toBe(1);
    expect(await editorTail(page)).not.toContain('Replaced outside');
    await page.getByRole('button', { name: 'Load the disk version' }).click();
    await expect.poll(() => editorText(page)).toBe('# Replaced outside');

    // A runbook added outside the app shows up in the list.
    const added = path.join(folder, 'runbooks/ops/from-outside/RUNBOOK.md');
    await mkdir(path.dirname(added), { recursive: true });
    await writeFile(added, '# From outside\n');
    await page.locator('[data-runbook="from-outside"]').waitFor({ timeout: 10_000 });
    browser.assertNoErrors();
  });
});
