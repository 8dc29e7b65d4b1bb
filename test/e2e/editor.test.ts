import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveWorkspaceCopy, useJettyWithBrowser } from '../helpers/jetty-with-browser';

// The editor saves, so it works on a copy of the fixture.
const session = useJettyWithBrowser(serveWorkspaceCopy);

describe('runbook editor', () => {
  it('shows diagnostics as you type, jumps to them, and saves with Ctrl+S', async () => {
    const { jetty: served, browser } = session;
    const { folder } = served;
    const file = path.join(folder, 'runbooks/reports/weekly-metrics/RUNBOOK.md');
    const page = await browser.newPage();
    await page.goto(served.url);
    await page.locator('[data-runbook="weekly-metrics"]').click();
    await page.locator('.monaco-editor .view-lines').waitFor();
    await expect.poll(() => page.locator('.problems-empty').textContent()).toBe('No problems in this runbook.');
    await browser.screenshot(page, 'editor-open');

    // Typing marks the buffer unsaved; deleting back to the saved text clears the mark.
    const unsaved = page.getByLabel('unsaved changes');
    const saveButton = page.locator('.editor-header').getByRole('button', { name: 'Save' });
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('draft');
    await unsaved.waitFor();
    expect(await saveButton.isDisabled()).toBe(false);
    for (let i = 0; i < 'draft'.length; i++) await page.keyboard.press('Backspace');
    await unsaved.waitFor({ state: 'detached' });
    expect(await saveButton.isDisabled()).toBe(true);

    // Type a sentence using a variable nobody declared: the linter flags it while we type.
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.insertText('Mention {{undeclared_thing}} here.');
    const problem = page.locator('.problem[data-code="RB010"]');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('undeclared_thing');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor();
    expect(await page.getByLabel('unsaved changes').count()).toBe(1);

    // The problems list jumps to the line.
    await page.keyboard.press('Control+Home');
    await problem.click();
    const lines = (await readFile(file, 'utf8')).split('\n').length;
    await expect.poll(() => page.locator('.active-line-number').first().textContent()).toBe(String(lines + 1));
    await browser.screenshot(page, 'editor-diagnostic');

    // Fix it: the variable becomes a declared one and the diagnostic goes away.
    await page.keyboard.press('End');
    for (let i = 0; i < 'undeclared_thing}} here.'.length; i++) await page.keyboard.press('Backspace');
    await page.keyboard.insertText('week}} here.');
    await problem.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('.problems-empty').count()).toBe(1);

    await page.keyboard.press('Control+s');
    await page.getByLabel('unsaved changes').waitFor({ state: 'detached' });
    const saved = await readFile(file, 'utf8');
    expect(saved.trimEnd().endsWith('Mention {{week}} here.')).toBe(true);
    await browser.screenshot(page, 'editor-saved');
    browser.assertNoErrors();
  });
});
