import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../electron/engine/store';
import { TRAJECTORY_FORMAT_VERSION, type TrajectoryExport } from '../../shared/trajectory';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

/** Characters of the long line's first part: more than the recorder holds of a partial line (64 KiB), so it is written before its end arrives. */
const LONG = 70_000;
const WORD = 'hay-stack';
const COMMAND = `printf 'ab'; printf 'c\\nd\\n'; printf '%s-%s %s\\n' hay stack 1 hay stack 2 hay stack 3; head -c ${LONG} /dev/zero | tr '\\0' x; printf ' %s-%s end\\n' hay stack`;
/**
 * The recording, chunk by chunk, as a run can store it: a line cut across chunks ('ab' then
 * 'c\nd\n', as output arrives from another recorder or an import), several lines in one chunk,
 * and a long line whose first part was written before its end (the recorder writes a partial
 * line once it holds 64 KiB). Each line with the word `hay-stack`, which the command itself
 * does not contain, so its tool call row does not match. Stored as a fixture, so the test does
 * not hope a run's timing chunks its output this way.
 */
const CHUNKS = ['ab', 'c\nd\n', `${WORD} 1\n${WORD} 2\n${WORD} 3\n`, 'x'.repeat(LONG), ` ${WORD} end\n`];
const ID = 'a1b2c3d4';

function recording(): TrajectoryExport {
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
  const event = (seq: number, type: string, payload: Record<string, unknown>, step: string | null = 'agent') => ({ seq, time: at(seq), level: 'info', type, step, payload });
  const events = [
    event(1, 'status', { status: 'running' }, null),
    event(2, 'tool_call', { id: 'call_1', name: 'bash', arguments: { command: COMMAND } }),
    ...CHUNKS.map((text, i) => event(3 + i, 'command_output', { stream: 'stdout', text, tool_call_id: 'call_1' })),
    event(3 + CHUNKS.length, 'tool_result', { id: 'call_1', name: 'bash', ok: true, output: '', exit_code: 0 }),
    event(4 + CHUNKS.length, 'status', { status: 'completed' }, null),
  ];
  return {
    format_version: TRAJECTORY_FORMAT_VERSION,
    id: ID,
    collection: 'demo',
    task: 'replay-lines',
    kind: 'runbook',
    status: 'completed',
    error: null,
    init_params: {},
    agent: 'builtin',
    model: 'scripted-model',
    created_at: at(0),
    started_at: at(0),
    ended_at: at(events.length),
    usage: null,
    evaluation: null,
    steps: {},
    labels: [],
    artifacts: [],
    events,
  } as unknown as TrajectoryExport;
}

let served: ServedJetty;
let browser: TestBrowser;
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'jetty-e2e-replay-lines-'));
  const dataDir = path.join(folder, 'data');
  await mkdir(dataDir);
  const store = openStore(path.join(dataDir, 'jetty.db'));
  store.importTrajectory(recording());
  store.close();
  [served, browser] = await Promise.all([startJettyServe(folder, { dataDir }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  expect(await served?.stop()).toBe(0);
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** The stored events of the recording (REST), in order. */
async function storedEvents(): Promise<{ type: string; payload: { text?: string } }[]> {
  const res = await fetch(`${served.origin}/api/v1/db/trajectory/demo/replay-lines/${ID}`, { headers: { authorization: `Bearer ${served.token}` } });
  return ((await res.json()) as { events: { type: string; payload: { text?: string } }[] }).events;
}

const lineRows = (page: Page) => page.locator('.event-row.replay-line');
const lineTexts = (page: Page) => lineRows(page).locator('.replay-line-text').allTextContents();

describe('replay: command output as lines', () => {
  it('shows output as its lines, whole across chunks, and finds a word in them', async () => {
    const page = await browser.newPage({ colorScheme: 'light' });
    await page.goto(served.url);
    await page.locator('.nav-tabs').getByRole('button', { name: 'Trajectories', exact: true }).click();
    await page.locator(`tr[data-trajectory="${ID}"] .link-button`).click();
    await expect.poll(() => page.locator('.replay-header [data-status]').getAttribute('data-status'), { timeout: 90_000 }).toBe('completed');
    const chunks = (await storedEvents()).filter((e) => e.type === 'command_output').map((e) => e.payload.text ?? '');
    expect(chunks).toEqual(CHUNKS);

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
    const open = chunks.indexOf('x'.repeat(LONG));
    const events = await storedEvents();
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
