// The replay viewer under load: a trajectory of N events (default 100,000) is written
// into a temp data dir through the store, `jetty serve` serves it, and Debian's Chromium
// opens it in the replay viewer. Measured in the page: time to first paint of the event
// list and until every page is loaded, frame times (requestAnimationFrame deltas) while
// scrolling the list and while scrubbing the timeline, and the JS heap (CDP, after GC).
// Reference in the same run: the same viewer on a 100-event trajectory.
// Run: npm run build, then: node --import tsx bench/replay.mjs [events] [rounds]
import { SAMPLE_PAYLOADS } from '../shared/trajectory-event-samples.test-helper.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../electron/engine/store/index.ts';
import { launchBrowser } from '../test/helpers/browser.ts';
import { startJettyServe } from '../test/helpers/serve.ts';

const EVENTS = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const REFERENCE_EVENTS = 100;
const MEASURE_MS = 3000;

/** A run-shaped event mix: steps of tool calls with coloured output, messages and model calls. */
function eventAt(i) {
  const step = `step-${Math.floor(i / 2000)}`;
  const call = `call-${Math.floor(i / 4)}`;
  switch (i % 4) {
    case 0:
      return { type: 'tool_call', level: 'info', step, payload: { id: call, name: 'bash', arguments: { command: `pytest tests/test_${i}.py -q` } } };
    case 1:
      return { type: 'command_output', level: 'info', step, payload: { tool_call_id: call, stream: 'stdout', text: `\u001b[32m${i} passed\u001b[0m in 0.${i % 97}s — collected ${i % 13} items from tests/test_${i}.py\n` } };
    case 2:
      return { type: 'tool_result', level: i % 40 === 2 ? 'warning' : 'info', step, payload: { id: call, name: 'bash', ok: i % 40 !== 2, output: `exit ${i % 40 === 2 ? 1 : 0}` } };
    default:
      return i % 8 === 3
        ? { type: 'model_call', level: 'info', step, payload: { ...SAMPLE_PAYLOADS.model_call, model: 'bench-model', usage: { prompt_tokens: 800, completion_tokens: 100 + (i % 300), total_tokens: 900 + (i % 300) }, latency_ms: 400 } }
        : { type: 'message', level: 'info', step, payload: { role: 'assistant', text: `Looking at the result of test ${i}; next I will check the fixtures and run the next file.` } };
  }
}

/** Writes a completed trajectory of `count` events, 10 ms apart; returns its id. */
function writeTrajectory(store, task, count) {
  const start = Date.parse('2026-01-01T00:00:00Z');
  const { id } = store.createTrajectory({ collection: 'bench', task, kind: 'runbook', status: 'running' });
  const writer = store.eventWriter(id, { maxBatch: 5000, flushIntervalMs: 60_000 });
  for (let i = 0; i < count; i++) writer.append({ ...eventAt(i), time: new Date(start + i * 10).toISOString() });
  writer.close();
  store.updateTrajectory(id, { status: 'completed', started_at: new Date(start).toISOString(), ended_at: new Date(start + count * 10).toISOString() });
  return id;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const stats = (deltas) => ({ p50: pct(deltas, 50), p95: pct(deltas, 95), max: Math.max(...deltas), frames: deltas.length });

/** Opens trajectory `id` from the list; returns ms to the first event row and to all pages loaded. */
async function openReplay(page, id, total) {
  await page.locator('.nav-tabs').getByRole('button', { name: 'Trajectories', exact: true }).click();
  const link = page.locator(`tr[data-trajectory="${id}"] .link-button`);
  await link.waitFor();
  const firstPaint = await page.evaluate(
    (sel) =>
      new Promise((resolve) => {
        const t0 = performance.now();
        document.querySelector(sel).click();
        const check = () => (document.querySelector('.event-row') ? resolve(performance.now() - t0) : requestAnimationFrame(check));
        requestAnimationFrame(check);
      }),
    `tr[data-trajectory="${id}"] .link-button`,
  );
  const t1 = Date.now();
  await page.waitForFunction((n) => document.querySelector('.timeline-where')?.getAttribute('data-shown') === String(n), total, { timeout: 600_000, polling: 100 });
  return { firstPaint, allLoaded: firstPaint + (Date.now() - t1) };
}

/** Frame deltas while `action(frameIndex)` runs every animation frame for MEASURE_MS. */
const measureFrames = (page, action) =>
  page.evaluate(
    ({ body, ms }) =>
      new Promise((resolve) => {
        const act = new Function('i', body);
        const deltas = [];
        let last = performance.now();
        const end = last + ms;
        let i = 0;
        const tick = (now) => {
          deltas.push(now - last);
          last = now;
          act(i++);
          if (now < end) requestAnimationFrame(tick);
          else resolve(deltas.slice(1));
        };
        requestAnimationFrame(tick);
      }),
    { body: action, ms: MEASURE_MS },
  );

const SCROLL = `const el = document.querySelector('.event-list'); el.scrollTop = (i * 1200) % Math.max(1, el.scrollHeight - el.clientHeight);`;
const SCRUB = `const el = document.querySelector('.scrubber-input');
  const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  set.call(el, String(Math.round(((i * 7919) % 1000) / 1000 * Number(el.max))));
  el.dispatchEvent(new Event('input', { bubbles: true }));`;

async function heapMb(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  return metrics.find((m) => m.name === 'JSHeapUsedSize').value / 2 ** 20;
}

async function measure(browser, url, id, total) {
  const page = await browser.newPage();
  await page.goto(url);
  await page.locator('.nav-tabs').waitFor();
  const baseHeap = await heapMb(page);
  const times = await openReplay(page, id, total);
  const heap = await heapMb(page);
  const scroll = stats(await measureFrames(page, SCROLL));
  const scrub = stats(await measureFrames(page, SCRUB));
  await page.close();
  return { ...times, heap, baseHeap, scroll, scrub };
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jetty-bench-replay-'));
const empty = mkdtempSync(path.join(os.tmpdir(), 'jetty-bench-folder-'));
const store = openStore(path.join(dataDir, 'jetty.db'));
let t = Date.now();
const big = writeTrajectory(store, 'big', EVENTS);
const small = writeTrajectory(store, 'reference', REFERENCE_EVENTS);
store.close();
console.log(`wrote ${EVENTS.toLocaleString()} events in ${((Date.now() - t) / 1000).toFixed(1)} s`);

const served = await startJettyServe(empty, { dataDir });
const browser = await launchBrowser();
try {
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const ref = await measure(browser, served.url, small, REFERENCE_EVENTS);
    const run = await measure(browser, served.url, big, EVENTS);
    rounds.push({ ref, run });
    console.log(
      `round ${r + 1}: first paint ${run.firstPaint.toFixed(0)} ms (ref ${ref.firstPaint.toFixed(0)}), all loaded ${(run.allLoaded / 1000).toFixed(2)} s, ` +
        `heap ${run.heap.toFixed(0)} MB (empty app ${run.baseHeap.toFixed(0)} MB), ` +
        `scroll p50/p95/max ${run.scroll.p50.toFixed(1)}/${run.scroll.p95.toFixed(1)}/${run.scroll.max.toFixed(0)} ms (ref ${ref.scroll.p50.toFixed(1)}/${ref.scroll.p95.toFixed(1)}/${ref.scroll.max.toFixed(0)}), ` +
        `scrub ${run.scrub.p50.toFixed(1)}/${run.scrub.p95.toFixed(1)}/${run.scrub.max.toFixed(0)} ms (ref ${ref.scrub.p50.toFixed(1)}/${ref.scrub.p95.toFixed(1)}/${ref.scrub.max.toFixed(0)})`,
    );
  }
  const m = (f) => median(rounds.map(f));
  console.log(`\nmedians over ${ROUNDS} rounds, ${EVENTS.toLocaleString()} events:`);
  console.log(`  first paint of the event list: ${m((x) => x.run.firstPaint).toFixed(0)} ms (reference ${REFERENCE_EVENTS} events: ${m((x) => x.ref.firstPaint).toFixed(0)} ms; goal < 1000 ms)`);
  console.log(`  all events loaded: ${(m((x) => x.run.allLoaded) / 1000).toFixed(2)} s`);
  console.log(`  JS heap after load (GC'd): ${m((x) => x.run.heap).toFixed(0)} MB (app before opening: ${m((x) => x.run.baseHeap).toFixed(0)} MB; goal < 300 MB)`);
  for (const kind of ['scroll', 'scrub']) {
    const run = { p50: m((x) => x.run[kind].p50), p95: m((x) => x.run[kind].p95), max: m((x) => x.run[kind].max) };
    const ref = { p50: m((x) => x.ref[kind].p50), p95: m((x) => x.ref[kind].p95), max: m((x) => x.ref[kind].max) };
    console.log(
      `  ${kind} frame ms p50/p95/max: ${run.p50.toFixed(1)}/${run.p95.toFixed(1)}/${run.max.toFixed(0)} vs reference ${ref.p50.toFixed(1)}/${ref.p95.toFixed(1)}/${ref.max.toFixed(0)} → p95 ratio ${(run.p95 / ref.p95).toFixed(2)}`,
    );
  }
} finally {
  await browser.close();
  await served.stop();
  rmSync(empty, { recursive: true, force: true });
}
