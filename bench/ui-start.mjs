// The first screen and the editor with many runbooks: N runbooks (default 1,000) are
// generated into a temp folder (nested collections, errors, warnings, hints), `jetty serve`
// serves it, and Debian's Chromium opens the app. Measured in the page (from navigation
// start): when all N rows are in the list and the main thread is free again (a task queued
// after that frame runs) — "interactive" — for a cold first load and warm reloads; then
// opening runbooks in the editor: the click until Monaco shows that runbook's text, the
// first time (Monaco's chunk loads) and warm (other runbooks, not opened before).
// Run: npm run build, then: node --import tsx bench/ui-start.mjs [runbooks] [rounds]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser } from '../test/helpers/browser.ts';
import { generateRunbooks } from '../test/helpers/generate-runbooks.ts';
import { startJettyServe } from '../test/helpers/serve.ts';

const RUNBOOKS = Number(process.argv[2] ?? 1000);
const ROUNDS = Number(process.argv[3] ?? 5);
const OPENS = 10;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Page-side code as text: tsx would wrap named functions in a `__name` helper the page lacks.
const FIRST_SCREEN = `(n) => new Promise((resolve) => {
  const check = () => {
    if (document.querySelectorAll('.runbook-row').length >= n) setTimeout(() => resolve(performance.now()), 0);
    else requestAnimationFrame(check);
  };
  check();
})`;
const OPEN_IN_EDITOR = `({ file, name, title }) => new Promise((resolve, reject) => {
  const row = [...document.querySelectorAll('.runbook-row')].find((r) => r.title === file);
  if (!row) return reject(new Error('no row for ' + file));
  const t0 = performance.now();
  row.click();
  const check = () => {
    const lines = document.querySelector('.monaco-editor .view-lines')?.textContent.replace(/\\u00a0/g, ' ') ?? '';
    if (document.querySelector('.editor-path')?.textContent === file && lines.includes(title)) resolve(performance.now() - t0);
    else if (performance.now() - t0 > 10000) reject(new Error('the editor did not show ' + file + ' within 10 s'));
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})`;
const inPage = (page, fn, arg) => page.evaluate(`(${fn})(${JSON.stringify(arg)})`);

/** Loads the app; resolves to ms from navigation start until N rows are shown and the page answers input. */
async function firstScreen(page, url) {
  await page.goto(url);
  return inPage(page, FIRST_SCREEN, RUNBOOKS);
}

/** Clicks the row of `rb` and resolves to ms until the editor shows its path and its own title line. */
const openInEditor = (page, rb) => inPage(page, OPEN_IN_EDITOR, { file: rb.path, title: `title: ${rb.name.replace(/-/g, ' ')}` });

const folder = mkdtempSync(path.join(os.tmpdir(), 'jetty-bench-ui-'));
let t = Date.now();
const made = await generateRunbooks(folder, RUNBOOKS);
console.log(`generated ${RUNBOOKS} runbooks in ${((Date.now() - t) / 1000).toFixed(1)} s`);
t = Date.now();
const served = await startJettyServe(folder, { timeoutMs: 120_000 });
console.log(`jetty serve listed and linted them in ${((Date.now() - t) / 1000).toFixed(1)} s`);
const browser = await launchBrowser();
try {
  const cold = await firstScreen(await browser.newPage(), served.url);
  const warm = [];
  const firstOpen = [];
  const opens = [];
  for (let r = 0; r < ROUNDS; r++) {
    const page = await browser.newPage();
    warm.push(await firstScreen(page, served.url));
    const picks = made.filter((_, i) => i % Math.floor(RUNBOOKS / (OPENS + 1)) === r % 7).slice(0, OPENS + 1);
    firstOpen.push(await openInEditor(page, picks[0]));
    for (const rb of picks.slice(1)) opens.push(await openInEditor(page, rb));
    await page.close();
  }
  console.log(`\n${RUNBOOKS} runbooks, ${ROUNDS} rounds:`);
  console.log(`  first screen interactive: cold ${cold.toFixed(0)} ms, warm median ${median(warm).toFixed(0)} ms (max ${Math.max(...warm).toFixed(0)}; goal < 1000 ms)`);
  console.log(`  first runbook opened (loads Monaco): median ${median(firstOpen).toFixed(0)} ms`);
  console.log(`  open a runbook in the editor, warm: median ${median(opens).toFixed(0)} ms, max ${Math.max(...opens).toFixed(0)} ms over ${opens.length} (goal < 300 ms)`);
} finally {
  await browser.close();
  await served.stop();
  rmSync(folder, { recursive: true, force: true });
}
