import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../shared/contract';
import { createEngine } from '../../electron/engine/api';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

const FIXTURE = path.resolve('test/fixtures/workspace');
const REFUSED_SOCKET = /401|Authentication failed/;

let served: ServedJetty;
let browser: TestBrowser;
let expected: Workspace;

/** What the engine itself finds in the fixture: the UI must show exactly this. */
async function engineView(): Promise<Workspace> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'jetty-e2e-engine-'));
  const engine = await createEngine({ dataDir, folders: [FIXTURE] });
  const [workspace] = await engine.api['workspace.current']({});
  await engine.close();
  await rm(dataDir, { recursive: true, force: true });
  return workspace;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
/** The row's badges: errors and warnings (hints show only once asked for, see runbook-list.test.ts). */
function badgeLabel(c: { errors: number; warnings: number }): string {
  if (c.errors + c.warnings === 0) return 'no problems';
  return [
    c.errors && plural(c.errors, 'error'),
    c.warnings && plural(c.warnings, 'warning'),
  ]
    .filter(Boolean)
    .join(', ');
}

beforeAll(async () => {
  [served, browser, expected] = await Promise.all([startJettyServe(FIXTURE), launchBrowser(), engineView()]);
});

afterAll(async () => {
  await browser?.close();
  expect(await served?.stop()).toBe(0);
});

describe('first screen', () => {
  it('lists the folder runbooks by collection with their diagnostic counts', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ colorScheme });
      await page.goto(served.url);
      await page.locator('[data-collection]').first().waitFor();

      expect(page.url()).not.toContain('token=');
      expect(await page.locator('.workspace-folder').textContent()).toBe(FIXTURE);
      expect(await page.locator('[data-collection]').evaluateAll((els) => els.map((e) => e.getAttribute('data-collection')))).toEqual([
        'ops',
        'reports',
      ]);
      expect(expected.runbooks).toHaveLength(3);
      for (const rb of expected.runbooks) {
        const row = page.locator(`[data-collection="${rb.collection}"] [data-runbook="${rb.name}"]`);
        expect(await row.locator('.badges').getAttribute('aria-label')).toBe(badgeLabel(rb));
      }
      const broken = expected.runbooks.find((r) => r.name === 'broken-frontmatter');
      expect(broken?.errors).toBeGreaterThan(0);
      await browser.screenshot(page, `first-screen-${colorScheme}`);
      await page.close();
    }
    browser.assertNoErrors();
  });

  it('shows why a folder cannot be opened', async () => {
    const page = await browser.newPage();
    await page.goto(served.url);
    await page.locator('[data-collection]').first().waitFor();
    await page.getByLabel('Folder path').fill('/no/such/folder');
    await page.getByRole('button', { name: 'Open folder' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('folder not found: /no/such/folder');
    await browser.screenshot(page, 'open-folder-error');
    await page.close();
    browser.assertNoErrors();
  });

  it('shows the connection-error state for a wrong token, and for none', async () => {
    const page = await browser.newPage();
    await page.goto(`${served.origin}/#token=not-the-token`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('The access token was refused');
    expect(await page.getByRole('alert').textContent()).toContain('#token=');
    await browser.screenshot(page, 'wrong-token');
    await page.close();

    const bare = await browser.newPage();
    await bare.goto(served.origin);
    await expect.poll(() => bare.locator('h1').textContent()).toBe('This page needs its access token');
    await bare.close();
    browser.assertNoErrors(REFUSED_SOCKET);
  });
});
