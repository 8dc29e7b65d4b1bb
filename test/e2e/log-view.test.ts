import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { SECRET_REPORT, startFixtureRun, startRunnableJetty, type RunnableJetty } from './runnable-jetty';

const LINES = 100_000;
const LONG_LINE = 200_000;
let jetty: RunnableJetty;
let browser: TestBrowser;

beforeAll(async () => {
  // The run's first command floods the log: a 200,000-character line (recorded in more than one
  // chunk: the recorder holds at most 64 KiB of a partial line), then 100,000 numbered lines.
  [jetty, browser] = await Promise.all([startRunnableJetty({ firstCommand: `head -c ${LONG_LINE} /dev/zero | tr '\\0' x; echo; seq ${LINES}` }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  expect(await jetty?.stop()).toBe(0);
});

interface FloodSample {
  gaps: number[];
  /** Frames in which the log was shown but not scrolled to its end, or not following. */
  offBottom: { lines: number; fromBottom: number; following: string | null }[];
  maxLines: number;
}

/**
 * Watches every animation frame from now on: the gap since the previous frame, and whether
 * the run log is at its bottom and following. Stops after `limitMs`, or once asked
 * (window.__stopFlood()), and resolves to what it saw.
 */
function watchFrames(page: Page, limitMs: number): Promise<FloodSample> {
  return page.evaluate(
    (ms) =>
      new Promise<FloodSample>((resolve) => {
        const sample: FloodSample = { gaps: [], offBottom: [], maxLines: 0 };
        const started = performance.now();
        let last = started;
        let stop = false;
        (window as unknown as { __stopFlood: () => void }).__stopFlood = () => (stop = true);
        const frame = (now: number) => {
          sample.gaps.push(now - last);
          last = now;
          const log = document.querySelector<HTMLElement>('.run-live .log');
          if (log) {
            const fromBottom = log.scrollHeight - log.scrollTop - log.clientHeight;
            const lines = Number(log.dataset.lines);
            sample.maxLines = Math.max(sample.maxLines, lines);
            if (fromBottom > 2 || log.dataset.following !== 'true') sample.offBottom.push({ lines, fromBottom, following: log.dataset.following ?? null });
          }
          if (stop || now - started > ms) resolve(sample);
          else requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
    limitMs,
  );
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

/**
 * The lines a log of trajectory `id` must show, from its stored events (REST): one per
 * event, except command output, whose chunks are joined per call and stream and split at
 * newlines; and how many output chunks ended mid-line.
 */
async function expectedLines(id: string): Promise<{ lines: number; cutChunks: number }> {
  const res = await fetch(`${jetty.served.origin}/api/v1/db/trajectory/${SECRET_REPORT.collection}/${SECRET_REPORT.name}/${id}`, {
    headers: { authorization: `Bearer ${jetty.served.token}` },
  });
  const { events } = (await res.json()) as { events: { type: string; payload: { text?: string; tool_call_id?: string; stream?: string } }[] };
  const streams = new Map<string, string>();
  let lines = 0;
  let cutChunks = 0;
  for (const e of events) {
    if (e.type !== 'command_output') {
      lines++;
      continue;
    }
    const key = `${e.payload.tool_call_id}/${e.payload.stream}`;
    streams.set(key, (streams.get(key) ?? '') + (e.payload.text ?? ''));
    if (e.payload.text && !e.payload.text.endsWith('\n')) cutChunks++;
  }
  for (const text of streams.values()) lines += text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  return { lines, cutChunks };
}

interface Flood {
  page: Page;
  runId: string;
  seen: FloodSample;
  figures: { frames: number; p50: number; p95: number; p99: number; max: number };
}

/** Runs the flood with the page's CPU slowed `slowdown` times, watching every frame until the run ended. */
async function flood(colorScheme: 'light' | 'dark', slowdown: number): Promise<Flood> {
  const page = await browser.newPage({ colorScheme });
  const cdp = await page.context().newCDPSession(page);
  const runId = await startFixtureRun(page, jetty, 'a flood of output', () => cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown }).then(() => undefined));
  const frames = watchFrames(page, 300_000);
  const status = page.locator('.run-status [data-status]');
  await expect.poll(() => status.getAttribute('data-status'), { timeout: 300_000 }).toMatch(/completed|failed/);
  await page.evaluate(() => (window as unknown as { __stopFlood: () => void }).__stopFlood());
  const seen = await frames;
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  expect(await status.getAttribute('data-status')).toBe('completed');
  const gaps = seen.gaps.slice(1);
  const figures = { frames: gaps.length, p50: pct(gaps, 50), p95: pct(gaps, 95), p99: pct(gaps, 99), max: Math.max(...gaps) };
  const round = (_: string, v: unknown) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v);
  console.log(`frame gaps during the ${LINES}-line flood, CPU slowed ${slowdown}x (ms): ${JSON.stringify(figures, round)}`);
  return { page, runId, seen, figures };
}

/** The flood was followed to its end and shown as lines: checks common to every speed. */
async function expectFollowedAsLines({ page, runId, seen }: Flood) {
  // Following the whole way: every frame with the log shown was at its bottom, in follow mode.
  expect(seen.offBottom).toEqual([]);
  // Output is lines, whatever chunks it arrived in: as many as the stored events hold, counted here independently.
  const log = page.locator('.run-live .log');
  const lineCount = Number(await log.getAttribute('data-lines'));
  const expected = await expectedLines(runId);
  expect(expected.cutChunks).toBeGreaterThan(0); // some chunk ended mid-line, so joining across chunks is exercised
  expect(lineCount).toBe(expected.lines);
  expect(seen.maxLines).toBe(lineCount);
  const lastRows = await log.locator('.log-line .log-text').allTextContents();
  expect(lastRows.at(-1)).toMatch(/^run: completed/);
  expect(lastRows).toContain(String(LINES));
}

describe('live log', () => {
  it('follows a 100,000-line flood to its end, finds the last line, expands the long one and stays responsive', async () => {
    const run = await flood('light', 1);
    const { page } = run;
    await expectFollowedAsLines(run);
    await browser.screenshot(page, 'log-flood-followed-light');
    // Responsive, with room for a loaded machine (the figures are printed above): a log that
    // re-renders every line, or blocks on the flood, misses these by whole seconds.
    expect(run.figures.p95).toBeLessThan(200);
    expect(run.figures.max).toBeLessThan(2000);

    // Find the last line: every match counted and marked, Enter walks to the one that is the line itself.
    const log = page.locator('.run-live .log');
    const find = page.getByLabel('Find in log');
    await find.fill(String(LINES));
    const count = page.locator('.run-live .search-count');
    await expect.poll(() => count.getAttribute('data-count').then(Number)).toBeGreaterThan(0);
    const matches = Number(await count.getAttribute('data-count'));
    expect(matches).toBeLessThan(5);
    expect(await log.getAttribute('data-following')).toBe('false');
    const current = log.locator('.log-line.is-current');
    for (let i = 0; i < matches && (await current.locator('.log-text').textContent()) !== String(LINES); i++) await find.press('Enter');
    expect(await current.locator('.log-text').textContent()).toBe(String(LINES));
    expect(await current.locator('mark.search-current').textContent()).toBe(String(LINES));
    const [row, view] = await Promise.all([current.boundingBox(), log.boundingBox()]);
    expect(row && view && row.y >= view.y && row.y + row.height <= view.y + view.height).toBe(true);
    await browser.screenshot(page, 'log-search-last-line-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await browser.screenshot(page, 'log-search-last-line-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // The long line is one line, folded to one row; it expands to its full 200,000 characters, wrapped, and folds back.
    await find.fill('');
    await log.evaluate((el) => el.scrollTo(0, 0));
    const long = log.locator('.log-line', { has: page.locator('.log-expand') }).first();
    // The list re-renders as the search clears and the scroll lands: read the row once it has settled.
    await expect.poll(() => long.boundingBox().then((b) => b?.height)).toBe(20);
    await long.locator('.log-expand').click();
    await expect.poll(() => long.boundingBox().then((b) => b?.height ?? 0)).toBeGreaterThan(200);
    expect((await long.locator('.log-text').textContent())?.length).toBe(LONG_LINE);
    await browser.screenshot(page, 'log-long-line-expanded-light');
    await long.locator('.log-expand').click();
    await expect.poll(() => long.boundingBox().then((b) => b?.height)).toBe(20);

    // Follow again: back to the end.
    await page.locator('.run-live .follow-toggle').click();
    await expect.poll(() => log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(3);
    expect(await log.getAttribute('data-following')).toBe('true');
    browser.assertNoErrors();
  }, 400_000);

  it('still follows to the end on a machine four times slower', async () => {
    const run = await flood('dark', 4);
    await expectFollowedAsLines(run);
    await browser.screenshot(run.page, 'log-flood-followed-dark');
    expect(run.figures.max).toBeLessThan(2000);
    browser.assertNoErrors();
  }, 400_000);
});
