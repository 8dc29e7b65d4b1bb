import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  /** A fresh page; console errors and page errors on it are collected. */
  newPage(options?: { colorScheme?: 'light' | 'dark' }): Promise<Page>;
  /** Console errors and uncaught exceptions seen so far, on every page. */
  errors: string[];
  /** Fails (throws) when any page logged an error, ignoring messages that match `allow`. */
  assertNoErrors(allow?: RegExp): void;
  screenshot(page: Page, name: string): Promise<string>;
  /** Screenshots the page as `<name>-light` and `<name>-dark` (each once the theme has painted), and leaves it light. */
  screenshotThemes(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/** Debian's Chromium driven by playwright-core, with a fresh profile. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'jetty-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: FLAGS,
    viewport: { width: 1200, height: 780 },
  });
  const errors: string[] = [];
  async function screenshot(page: Page, name: string) {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  }
  return {
    errors,
    async newPage(options) {
      const page = await context.newPage();
      if (options?.colorScheme) await page.emulateMedia({ colorScheme: options.colorScheme });
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
      });
      page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
      return page;
    },
    assertNoErrors(allow) {
      const unexpected = errors.filter((e) => !allow?.test(e));
      if (unexpected.length > 0) throw new Error(`the page logged errors:\n${unexpected.join('\n')}`);
    },
    screenshot,
    async screenshotThemes(page, name) {
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await page.evaluate('new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted)))'); // the theme has painted
        await screenshot(page, `${name}-${colorScheme}`);
      }
      await page.emulateMedia({ colorScheme: 'light' });
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
