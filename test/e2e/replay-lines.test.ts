import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { SECRET_REPORT, startFixtureRun, startRunnableJetty, type RunnableJetty } from './runnable-jetty';

/** Characters of the long line's first part: more than the recorder holds of a partial line (64 KiB), so it is written before its end arrives. */
const LONG = 70_000;
/**
 * Output that arrives in pieces: 'ab' then 'c\nd\n' (the recorder may join them into whole lines),
 * three short lines and a long line, each with the word `hay-stack` (which the command itself
 * does not contain, so its tool call row does not match).
 */
const COMMAND = `printf 'ab'; sleep 0.2; printf 'c\\nd\\n'; for i in 1 2 3; do printf '%s-%s %s\\n' hay stack $i; done; head -c ${LONG} /dev/zero | tr '\\0' x; sleep 0.3; printf ' %s-%s end\\n' hay stack`;
const WORD = 'hay-stack';

let jetty: RunnableJetty;
let browser: TestBrowser;

beforeAll(async () => {
  [jetty, browser] = await Promise.all([startRunnableJetty({ firstCommand: COMMAND }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  expect(await jetty?.stop()).toBe(0);
});

/** The stored events of trajectory `id` (REST), in order. */
async function storedEvents(id: string): Promise<{ type: string; payload: { text?: string } }[]> {
  const res = await fetch(`${jetty.served.origin}/api/v1/db/trajectory/${SECRET_REPORT.collection}/${SECRET_REPORT.name}/${id}`, {
    headers: { authorization: `Bearer ${jetty.served.token}` },
  });
  return ((await res.json()) as { events: { type: string; payload: { text?: string } }[] }).events;
}

/** The stored command output chunks of trajectory `id`. */
const outputChunks = async (id: string) => (await storedEvents(id)).filter((e) => e.type === 'command_output').map((e) => e.payload.text ?? '');

const lineRows = (page: Page) => page.locator('.event-row.replay-line');
const lineTexts = (page: Page) => lineRows(page).locator('.replay-line-text').allTextContents();

describe('replay: command output as lines', () => {
  it('shows output as its lines, whole across chunks, and finds a word in them', async () => {
    const page = await browser.newPage({ colorScheme: 'light' });
    const runId = await startFixtureRun(page, jetty, 'replay lines');
    await page.locator('.nav-tabs').getByRole('button', { name: 'Trajectories', exact: true }).click();
    await page.locator(`tr[data-trajectory="${runId}"] .link-button`).click();
    await expect.poll(() => page.locator('.replay-header [data-status]').getAttribute('data-status'), { timeout: 90_000 }).toBe('completed');

    // The recording has the long line cut across chunks, and more than one line in a chunk.
    const chunks = await outputChunks(runId);
    expect(chunks.some((c) => c.length > 0 && !c.endsWith('\n'))).toBe(true);
    // ('ab' and 'c\nd\n' may be stored joined or apart, as the recorder's timing has it: either way 'abc' is one line.)
    expect(chunks.some((c) => c.split('\n').length > 2)).toBe(true);

    // Each line is a row of its own, nested under its call; the long line is one row, folded with an expand button.
    await page.locator('.event-list').evaluate((el) => el.scrollTo(0, 0));
    await expect.poll(() => lineTexts(page)).toEqual(expect.arrayContaining(['abc', 'd', `${WORD} 1`, `${WORD} 2`, `${WORD} 3`]));
    const texts = await lineTexts(page);
    expect(texts.indexOf('d')).toBe(texts.indexOf('abc') + 1);
    const long = lineRows(page).filter({ hasText: 'xxxxxxxxxx' });
    expect(await long.count()).toBe(1);
    expect(await long.getByRole('button', { name: 'Expand line' }).count()).toBe(1);
    await browser.screenshot(page, 'replay-lines-light');

    // The find box narrows to rows containing the word, marks it in every line row and jumps with Enter / Shift+Enter.
    const find = page.getByLabel('Search events');
    await find.fill(WORD);
    const count = page.locator('.event-list-toolbar .search-count');
    await expect.poll(async () => Number(await count.getAttribute('data-count'))).toBeGreaterThanOrEqual(4);
    // (The long line's match lies past its folded part: it is marked once jumped to, below.)
    await expect.poll(() => lineRows(page).locator('mark').allTextContents()).toEqual([WORD, WORD, WORD]);
    expect(await lineTexts(page)).toEqual([`${WORD} 1`, `${WORD} 2`, `${WORD} 3`, expect.stringMatching(/^x+/)]);
    const current = page.locator('.event-row.is-current');
    await expect.poll(() => current.locator('.replay-line-text').textContent()).toBe(`${WORD} 1`);
    await find.press('Enter');
    await expect.poll(() => current.locator('.replay-line-text').textContent()).toBe(`${WORD} 2`);
    await find.press('Shift+Enter');
    await expect.poll(() => current.locator('.replay-line-text').textContent()).toBe(`${WORD} 1`);
    // The fourth match lies past the folded part of the long line: jumping there shows all of it, the match marked as the current one.
    for (let i = 0; i < 3; i++) await find.press('Enter');
    await expect.poll(() => long.locator('mark.search-current').textContent()).toBe(WORD);
    expect(await long.locator('.replay-line-text').textContent()).toHaveLength(LONG + ` ${WORD} end`.length);
    // ... and the line is scrolled to it: the mark lies inside the row's text box.
    const markBox = await long.locator('mark.search-current').boundingBox();
    const textBox = await long.locator('.replay-line-text').boundingBox();
    expect(markBox!.x).toBeGreaterThanOrEqual(textBox!.x);
    expect(markBox!.x + markBox!.width).toBeLessThanOrEqual(textBox!.x + textBox!.width);
    await browser.screenshot(page, 'replay-lines-search-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await browser.screenshot(page, 'replay-lines-search-dark');

    // Wrapped, the long line takes several row heights; cleared, every row is back.
    await page.getByRole('button', { name: 'Wrap lines' }).click();
    await expect.poll(() => long.evaluate((el) => el.getBoundingClientRect().height)).toBeGreaterThan(48);
    await find.fill('');
    await expect.poll(() => lineTexts(page)).toEqual(expect.arrayContaining(['abc', 'd']));
    await browser.screenshot(page, 'replay-lines-wrapped-dark');

    // The cursor stepped to the chunk that left the long line open: the line shows what was written by then.
    const open = chunks.findIndex((c) => !c.endsWith('\n'));
    const events = await storedEvents(runId);
    const cursorAt = events.findIndex((e) => e.type === 'command_output' && e.payload.text === chunks[open]) + 1;
    await page.getByLabel('Replay position').fill('0');
    const shown = () => page.locator('.timeline-where').getAttribute('data-shown').then(Number);
    await expect.poll(shown).toBeLessThan(cursorAt);
    for (let i = 0; i < events.length && (await shown()) < cursorAt; i++) {
      const before = await shown();
      await page.getByRole('button', { name: 'Next event' }).click();
      await expect.poll(shown).toBe(before + 1);
    }
    expect(await shown()).toBe(cursorAt);
    await expect.poll(() => long.locator('.replay-line-text').textContent()).toMatch(/^x+$/);
    browser.assertNoErrors();
  });
});
