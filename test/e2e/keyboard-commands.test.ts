import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { serveWorkspaceCopy, useJettyWithBrowser } from '../helpers/jetty-with-browser';

// The command palette (F1 / Ctrl+Shift+P), the shortcut sheet (?), go to line (Ctrl+G), the
// next and previous problem (F8 / Shift+F8), tabs kept across a reload and the header's
// theme switch; and a walk through every command of the palette with the keyboard alone.
// The editor saves, so it works on a copy of the fixture workspace.
const session = useJettyWithBrowser(serveWorkspaceCopy);

const activeCommand = (page: Page) => page.locator('.command-palette [role="option"][aria-selected="true"]').getAttribute('data-command');
const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName ?? '');
const currentTab = (page: Page) => page.locator('.nav-tab.is-current').textContent();
const selectedFileTab = (page: Page) => page.locator('.editor-tab.is-active').getAttribute('data-tab');

/** Opens a runbook with Ctrl+P, typing part of its name. */
async function quickOpen(page: Page, name: string) {
  await page.keyboard.press('Control+P');
  await page.getByLabel('Runbook to open').fill(name);
  await expect.poll(() => page.locator('.quick-open-runbooks [role="option"][aria-selected="true"]').getAttribute('data-path')).toContain(name);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('.editor-path').textContent()).toContain(name);
  await page.locator('.monaco-editor .view-lines').waitFor();
}

/** Runs a command from the palette: F1, its title typed, moved to with the arrows if another one ranks first, Enter. */
async function fromPalette(page: Page, id: string, title: string) {
  await page.keyboard.press('F1');
  await page.getByLabel('Type a command').fill(title);
  for (let i = 0; i < 10 && (await activeCommand(page)) !== id; i++) await page.keyboard.press('ArrowDown');
  expect(await activeCommand(page)).toBe(id);
  // This palette closes (palette.show opens a new one at once: waiting for no palette at all could miss the moment between).
  await page.locator('.command-palette').evaluate((el) => el.setAttribute('data-walked', ''));
  await page.keyboard.press('Enter');
  await page.locator('.command-palette[data-walked]').waitFor({ state: 'detached' });
}

describe('a keyboard for everything', () => {
  it('lists every command with its keys, walks each one from the palette, and keeps tabs across a reload', async () => {
    const { jetty, browser } = session;
    const page = await browser.newPage({ colorScheme: 'light' });
    await page.goto(jetty.url);
    await page.locator('[data-runbook="weekly-metrics"]').waitFor();
    await quickOpen(page, 'weekly-metrics');
    await quickOpen(page, 'rotate-logs');
    expect(await page.locator('.editor-tab').evaluateAll((tabs) => tabs.map((t) => (t as HTMLElement).dataset.tab?.split('/').at(-2)))).toEqual(['weekly-metrics', 'rotate-logs']);

    // The shortcut sheet (?) lists every command that has keys, with them (`?` typed in the editor is text).
    await page.locator('.editor-tab.is-active [role="tab"]').focus();
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await sheet.waitFor();
    const all = await sheet.locator('[data-command]').evaluateAll((rows) => rows.map((r) => ({ id: (r as HTMLElement).dataset.command!, keys: r.querySelector('dt')?.textContent ?? '' })));
    expect(all.every((c) => c.keys.length > 0)).toBe(true);
    expect(all.find((c) => c.id === 'palette.show')?.keys).toBe('F1Ctrl+Shift+P');
    await browser.screenshotThemes(page, 'shortcut-sheet');
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });

    // The palette (Ctrl+Shift+P as well as F1) shows each available command with its first key.
    await page.keyboard.press('Control+Shift+P');
    const listed = await page.locator('.command-palette [role="option"]').evaluateAll((rows) => rows.map((r) => [(r as HTMLElement).dataset.command, r.querySelector('kbd')?.textContent]));
    expect(listed).toContainEqual(['editor.gotoLine', 'Ctrl+G']);
    expect(listed).toContainEqual(['editor.nextProblem', 'F8']);
    expect(listed.map(([id]) => id)).not.toContain('runs.openLive'); // no run is going on
    await page.getByLabel('Type a command').fill('prob');
    await expect.poll(() => page.locator('.command-palette [role="option"] mark').count()).toBeGreaterThan(0);
    await browser.screenshotThemes(page, 'command-palette');
    await page.keyboard.press('Escape');

    // Every command, from the palette, keyboard only, with what it does checked.
    const title = (id: string) => page.evaluate((i) => document.querySelector(`.shortcut-list [data-command="${i}"] dd`)?.textContent, id);
    await page.locator('.editor-tab.is-active [role="tab"]').focus();
    await page.keyboard.press('?');
    const titles = Object.fromEntries(await Promise.all(all.map(async (c) => [c.id, (await title(c.id)) ?? ''] as const)));
    await page.keyboard.press('Escape');
    const walked = new Set<string>();
    const walk = async (id: string, check: () => Promise<void>) => {
      await fromPalette(page, id, titles[id]);
      await check();
      walked.add(id);
    };
    const dialog = (name: string) => async () => {
      await page.getByRole('dialog', { name }).waitFor();
      await page.keyboard.press('Escape');
      await page.getByRole('dialog', { name }).waitFor({ state: 'detached' });
    };

    await walk('editor.gotoLine', async () => {
      await page.locator('.quick-input-widget').waitFor({ state: 'visible' });
      await page.keyboard.type('12');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('.monaco-editor .current-line').count()).toBeGreaterThan(0);
    });
    await walk('editor.nextProblem', async () => {
      await page.locator('.marker-widget').waitFor({ state: 'visible' });
      await page.keyboard.press('Escape');
    });
    await walk('editor.previousProblem', async () => {
      await page.locator('.marker-widget').waitFor({ state: 'visible' });
      await page.keyboard.press('Escape');
    });
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('\n<!-- edited -->');
    await page.getByLabel('unsaved changes').waitFor();
    await walk('editor.save', () => page.getByLabel('unsaved changes').waitFor({ state: 'detached' }));
    await walk('run.focus', async () => expect.poll(() => page.evaluate(() => Boolean(document.activeElement?.closest('.run-panel')))).toBe(true));
    await walk('run.start', async () => expect.poll(() => page.locator('.run-panel [role="alert"]').textContent()).toMatch(/^Cannot run yet: /));
    await walk('runbooks.filter', async () => expect.poll(() => focused(page)).toBe('Filter runbooks'));
    await walk('tabs.previous', async () => expect.poll(() => selectedFileTab(page)).toContain('weekly-metrics'));
    await walk('tabs.next', async () => expect.poll(() => selectedFileTab(page)).toContain('rotate-logs'));
    await walk('quickOpen.show', dialog('Open a runbook'));
    await walk('shortcuts.show', dialog('Keyboard shortcuts'));
    await walk('palette.show', dialog('Commands'));
    await walk('runs.show', dialog('Runs going on'));
    const theme = await page.evaluate(() => document.documentElement.dataset.theme);
    await walk('theme.toggle', async () => expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).not.toBe(theme));
    await page.keyboard.press('Alt+T'); // and back, from its key
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
    await walk('view.problems', () => page.getByRole('main', { name: 'Problems' }).waitFor());
    await walk('view.trajectories', async () => expect.poll(() => currentTab(page)).toBe('Trajectories'));
    await walk('trajectories.search', async () => expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.placeholder)).toMatch(/^words in events/));
    await walk('view.compare', async () => expect.poll(() => currentTab(page)).toBe('Compare'));
    await walk('view.settings', async () => expect.poll(() => currentTab(page)).toBe('Settings'));
    // The theme switch kept an explicit choice: back to following the system, for the screenshots below.
    await page.locator('.segmented label', { hasText: 'system' }).click();
    await walk('view.cloud', async () => expect.poll(() => currentTab(page)).toBe('Cloud'));
    await walk('view.evaluate', async () => expect.poll(() => currentTab(page)).toBe('Evaluate'));
    await walk('view.routines', async () => expect.poll(() => currentTab(page)).toBe('Routines'));
    await walk('view.runbooks', async () => expect.poll(() => currentTab(page)).toBe('Runbooks'));
    await walk('tabs.close', async () => expect.poll(() => page.locator('.editor-tab').count()).toBe(1));
    // runs.openLive needs a run going on: run-awareness.test.ts walks it.
    expect([...walked].sort()).toEqual(all.map((c) => c.id).filter((id) => id !== 'runs.openLive').sort());

    // The keys themselves: F8 / Shift+F8 and Ctrl+G from the editor, Alt+PageDown between tabs.
    await quickOpen(page, 'rotate-logs');
    // Its problems are in the editor before F8 looks for the next one (the lint answers after the text shows).
    await page.locator('.monaco-editor [class*="squiggly-"]').first().waitFor();
    await page.keyboard.press('F8');
    await page.locator('.marker-widget').waitFor({ state: 'visible' });
    expect(await page.locator('.marker-widget').textContent()).toMatch(/RB0\d\d/);
    await browser.screenshotThemes(page, 'editor-next-problem');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget').waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Alt+PageDown');
    await expect.poll(() => selectedFileTab(page)).toContain('weekly-metrics');
    await browser.screenshotThemes(page, 'editor-tabs');

    // After a reload the tabs are open again, the same one active.
    await page.reload();
    await expect.poll(() => page.locator('.editor-tab').count()).toBe(2);
    await expect.poll(() => selectedFileTab(page)).toContain('weekly-metrics');
    await expect.poll(() => page.locator('.editor-path').textContent()).toContain('weekly-metrics');
    browser.assertNoErrors();
  });
});
