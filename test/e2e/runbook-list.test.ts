import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { generateRunbooks, type GeneratedRunbook } from '../helpers/generate-runbooks';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

const COUNT = 120;
let folder: string;
let made: GeneratedRunbook[];
let served: ServedJetty;
let browser: TestBrowser;

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'jetty-e2e-many-'));
  made = await generateRunbooks(folder, COUNT);
  [served, browser] = await Promise.all([startJettyServe(folder), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  expect(await served?.stop()).toBe(0);
  await rm(folder, { recursive: true, force: true });
});

const rows = (page: Page, scope = '') => page.locator(`${scope} .runbook-row`.trim());
const count = (kind: GeneratedRunbook['kind'], where?: (w: string) => boolean) => made.filter((m) => m.kind === kind && (!where || where(m.where))).length;

async function openFirstScreen(page: Page) {
  await page.goto(served.url);
  await page.locator('[data-collection]').first().waitFor();
  await expect.poll(() => rows(page).count()).toBe(COUNT);
}

describe('runbook list', () => {
  it('groups runbooks by collection with sub-collections nested inside, hints off by default, in both themes', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ colorScheme });
      await openFirstScreen(page);
      // Top level: the collections named after runbooks/, sorted; sub-collections only inside them.
      const top = await page.locator('.workspace > .collection').evaluateAll((els) => els.map((e) => e.getAttribute('data-collection')));
      expect(top).toEqual(['acme', 'billing', 'data-eng', 'ops', 'research', 'security']);
      expect(await page.locator('.workspace > .collection[data-collection="composites"]').count()).toBe(0);
      const deep = page.locator('[data-collection="ops"] > [data-collection="ops/db"] > [data-collection="ops/db/postgres"] .runbook-row');
      expect(await deep.count()).toBe(made.filter((m) => m.where === 'ops/db/postgres').length);
      expect(await page.locator('[data-collection="acme"] > [data-collection="acme/composites"] .runbook-row').count()).toBe(made.filter((m) => m.where === 'acme/composites').length);
      // The acme header counts everything under it, sub-collections included.
      expect(await page.locator('[data-collection="acme"] > .collection-header .collection-count').textContent()).toBe(String(made.filter((m) => m.where.startsWith('acme')).length));
      // Errors and warnings show on their rows; hints do not, until asked for.
      expect(await rows(page).locator('.badge-error').count()).toBe(count('error'));
      expect(await rows(page).locator('.badge-warning').count()).toBe(count('warning'));
      expect(await page.locator('.badge-info').count()).toBe(0);
      await browser.screenshot(page, `runbook-list-${colorScheme}`);
      await page.getByLabel('Show hints').check();
      expect(await rows(page).locator('.badge-info').count()).toBe(count('hint'));
      await page.close();
    }
    browser.assertNoErrors();
  });

  it('folds collections, filters by words and by severity', async () => {
    const page = await browser.newPage({ colorScheme: 'light' });
    await openFirstScreen(page);
    const acme = made.filter((m) => m.where.startsWith('acme')).length;

    const toggle = page.locator('[data-collection="acme"] > .collection-header .collection-toggle');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await rows(page, '[data-collection="acme"]').count()).toBe(0);
    expect(await rows(page).count()).toBe(COUNT - acme);
    await page.locator('[data-collection="ops/db"] > .collection-header .collection-toggle').click();
    expect(await rows(page, '[data-collection="ops/db"]').count()).toBe(0);
    expect(await rows(page, '[data-collection="ops"]').count()).toBe(made.filter((m) => m.where === 'ops').length);
    await browser.screenshot(page, 'runbook-list-folded-light');
    await toggle.click();
    expect(await rows(page, '[data-collection="acme"]').count()).toBe(acme);

    // Words: every word must match the collection path, name or title; folded collections open to show matches.
    const filter = page.getByLabel('Filter runbooks');
    await filter.fill('postgres backup');
    const wanted = made.filter((m) => m.where === 'ops/db/postgres' && m.name.startsWith('backup'));
    expect(wanted.length).toBeGreaterThan(0);
    await expect.poll(() => rows(page).count()).toBe(wanted.length);
    expect(await page.locator('.workspace-count').textContent()).toBe(`${wanted.length} of ${COUNT}`);
    await filter.fill('no-such-runbook');
    await page.getByText('No runbook here matches the filter.').waitFor();
    await filter.fill('');

    // Severity: only the runbooks with errors, each showing its error badge.
    await page.getByLabel('Severity').selectOption('errors');
    await expect.poll(() => rows(page).count()).toBe(count('error'));
    expect(await rows(page).locator('.badge-error').count()).toBe(count('error'));
    await browser.screenshot(page, 'runbook-list-errors-light');
    await page.getByLabel('Severity').selectOption('clean');
    await expect.poll(() => rows(page).count()).toBe(COUNT - count('error') - count('warning'));
    await page.getByLabel('Severity').selectOption('all');
    await page.locator('[data-collection="ops/db"] > .collection-header .collection-toggle').click();
    await expect.poll(() => rows(page).count()).toBe(COUNT);
    browser.assertNoErrors();
  });

  it('opens a runbook with Ctrl+P and marks unsaved runbooks in the list', async () => {
    const page = await browser.newPage({ colorScheme: 'light' });
    await openFirstScreen(page);
    const target = made.find((m) => m.where === 'ops/db/postgres' && m.name.startsWith('backup')) as GeneratedRunbook;
    const other = made.find((m) => m.where === 'acme/composites') as GeneratedRunbook;

    const quickOpen = async (query: string, shot?: string) => {
      await page.keyboard.press('Control+P');
      const input = page.getByLabel('Runbook to open');
      await input.fill(query);
      await expect.poll(() => page.locator('.quick-open-results [role="option"]').first().getAttribute('data-path')).toBeTruthy();
      if (shot) {
        await browser.screenshot(page, `${shot}-light`);
        await page.emulateMedia({ colorScheme: 'dark' });
        await browser.screenshot(page, `${shot}-dark`);
        await page.emulateMedia({ colorScheme: 'light' });
      }
      await input.press('Enter');
      await page.locator('.monaco-editor .view-lines').waitFor();
    };
    await quickOpen(`postgres ${target.name}`, 'quick-open');
    expect(await page.locator('[role="dialog"]').count()).toBe(0);
    await expect.poll(() => page.locator('.editor-path').textContent()).toBe(target.path);

    // Edit without saving: the row says so, and keeps saying so after another runbook is opened.
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('draft');
    const targetRow = page.locator(`.sidebar [data-collection="ops/db/postgres"] [data-runbook="${target.name}"]`);
    await expect.poll(() => targetRow.getAttribute('data-dirty')).toBe('true');
    expect(await targetRow.getByLabel('edited, not saved').count()).toBe(1);
    // Ctrl+P from inside the editor too.
    await page.locator('.monaco-editor .view-lines').click();
    await quickOpen(other.name);
    await expect.poll(() => page.locator('.editor-path').textContent()).toBe(other.path);
    expect(await targetRow.getAttribute('data-dirty')).toBe('true');
    expect(await page.locator('.sidebar [data-dirty="true"]').count()).toBe(1);
    // The sidebar scrolled to the runbook just opened; back to the unsaved one for the pictures.
    expect(await page.locator(`.sidebar [data-collection="acme/composites"] [data-runbook="${other.name}"]`).evaluate((el) => {
      const box = el.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= window.innerHeight;
    })).toBe(true);
    await targetRow.scrollIntoViewIfNeeded();
    await browser.screenshot(page, 'runbook-list-dirty-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await browser.screenshot(page, 'runbook-list-dirty-dark');
    browser.assertNoErrors();
  });
});
