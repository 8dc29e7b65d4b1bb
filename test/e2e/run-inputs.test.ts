// Issue 15, item 6 in the browser, with real runs in Docker and the scripted model: files by
// the picker and by a drop (uploaded over the API), the manifest's accepted types and example
// input, parameters kept across navigation and a reload (secrets not), Re-run of a trajectory
// (prefilled, edited, run), and compare's parameter and tool-call differences.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../electron/engine/store';
import { useJettyWithBrowser } from '../helpers/jetty-with-browser';
import { serveGeneratedRunnable } from './runnable-jetty';
import { addInputsRunbook, EXAMPLE_TEXT, INPUTS_RUNBOOK, showInputsThenReport } from './inputs-runbook';

const session = useJettyWithBrowser(() => serveGeneratedRunnable('run-inputs', showInputsThenReport, async (folder) => void (await addInputsRunbook(folder))));
const inputsRunbook = () => path.join(session.jetty.folder, 'runbooks', INPUTS_RUNBOOK.collection, INPUTS_RUNBOOK.name, 'RUNBOOK.md');

async function open(page: Page, name: string) {
  await page.getByLabel('Filter runbooks').fill(name);
  await page.locator(`[data-runbook="${name}"]`).first().click();
  await page.locator('.run-plan').waitFor();
}

const status = (page: Page) => page.locator('.run-status [data-status]');
const chips = (page: Page) => page.locator('[data-param-files="notes"] .file-chip').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.file));
const nameField = (page: Page) => page.locator('[data-param="name"]');

/** Drops files on an element the way a browser does: dragover, then drop, with a DataTransfer holding them. */
async function dropFiles(page: Page, selector: string, files: { name: string; type: string; text: string }[]) {
  await page.locator(selector).evaluate((target, list) => {
    const data = new DataTransfer();
    for (const f of list) data.items.add(new File([f.text], f.name, { type: f.type }));
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, files);
}

/** Runs what the panel holds and waits for the end; returns the trajectory id. */
async function runToEnd(page: Page): Promise<string> {
  const runId = page.locator('.run-status .run-id');
  const before = (await runId.count()) > 0 ? await runId.textContent() : null;
  await page.locator('.run-actions .button-primary').click();
  await expect.poll(async () => ((await runId.count()) > 0 ? runId.textContent() : null), { timeout: 30_000 }).not.toBe(before);
  await expect.poll(() => status(page).getAttribute('data-status'), { timeout: 120_000 }).toMatch(/completed|failed/);
  expect(await status(page).getAttribute('data-status')).toBe('completed');
  return (await page.locator('.run-status .run-id').textContent())!;
}

async function openReplay(page: Page, id: string) {
  await page.locator('.nav-tabs').getByRole('button', { name: 'Trajectories', exact: true }).click();
  await page.locator(`tr[data-trajectory="${id}"] .link-button`).click();
  await page.locator('.event-list').waitFor();
}
/** What the run's commands printed, as recorded in its trajectory (the sandbox's view of /app/assets). */
function commandOutput(id: string): string {
  const store = openStore(path.join(session.jetty.served.dataDir, 'jetty.db'));
  try {
    return store.listEvents(id, { limit: 1000 }).filter((e) => e.type === 'command_output').map((e) => String(e.payload.text)).join('');
  } finally {
    store.close();
  }
}
/** The replay shows the command's output. */
const shownOutput = (page: Page) => page.locator('.event-row[data-type="tool_result"]').allTextContents().then((t) => t.join('\n'));

let firstRun = '';

describe('files and parameters in the run panel', () => {
  it('uploads files by the picker and by a drop, refuses types the manifest does not accept, and the sandbox sees them', async () => {
    const page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(session.jetty.served.url);
    await expect.poll(() => page.locator('[data-runbook]').count()).toBeGreaterThanOrEqual(100);
    await open(page, INPUTS_RUNBOOK.name);
    const picker = page.locator('[data-param="notes"]');
    expect(await picker.getAttribute('accept')).toBe('.txt');

    await picker.setInputFiles({ name: 'picked.txt', mimeType: 'text/plain', buffer: Buffer.from('picked by the file picker\n') });
    await expect.poll(() => chips(page)).toEqual(['picked.txt']);
    await picker.setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4') });
    await expect.poll(() => page.locator('[data-param-files="notes"] .file-problem').textContent()).toContain('report.pdf: not accepted here (Notes takes .txt)');
    await dropFiles(page, '[data-param-files="notes"]', [{ name: 'dropped.txt', type: 'text/plain', text: 'dropped on the run panel\n' }]);
    await expect.poll(() => chips(page)).toEqual(['picked.txt', 'dropped.txt']);
    // Dropped elsewhere on the run panel, a file goes to its file field (and the page stays).
    await dropFiles(page, '.run-panel .panel-header', [{ name: 'elsewhere.txt', type: 'text/plain', text: 'dropped on the panel header\n' }]);
    await expect.poll(() => chips(page)).toEqual(['picked.txt', 'dropped.txt', 'elsewhere.txt']);
    await page.getByRole('button', { name: 'Remove elsewhere.txt' }).click();
    await expect.poll(() => chips(page)).toEqual(['picked.txt', 'dropped.txt']);
    await nameField(page).fill('Ada');
    await session.browser.screenshotThemes(page, 'run-inputs-files');

    firstRun = await runToEnd(page);
    await openReplay(page, firstRun);
    await expect.poll(() => shownOutput(page), { timeout: 30_000 }).toContain('inputs for Ada:');
    expect(commandOutput(firstRun)).toBe('inputs for Ada:\n== /app/assets/dropped.txt\ndropped on the run panel\n== /app/assets/picked.txt\npicked by the file picker\nready\n');
    await page.close();
  });

  it('offers the manifest’s example input in one click: its file is uploaded and its values filled in', async () => {
    const page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(session.jetty.served.url);
    await open(page, INPUTS_RUNBOOK.name);
    await page.locator('[data-example="short"]').click();
    await expect.poll(() => chips(page)).toEqual(['notes.txt']);
    expect(await nameField(page).inputValue()).toBe('Ada');
    const id = await runToEnd(page);
    await openReplay(page, id);
    await expect.poll(() => shownOutput(page), { timeout: 30_000 }).toContain('inputs for Ada:');
    expect(commandOutput(id)).toContain(`== /app/assets/notes.txt\n${EXAMPLE_TEXT}`);
    await page.close();
  });

  it('keeps a runbook’s values across navigation and a reload, never its secrets, until Reset to defaults', async () => {
    const page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(session.jetty.served.url);
    await open(page, INPUTS_RUNBOOK.name);
    await nameField(page).fill('Kept Name');
    await page.locator('[data-param="api_password"]').fill('hunter2-password');
    await page.locator('[data-param="times"]').fill('7');

    await open(page, 'task-3');
    expect(await nameField(page).inputValue()).toBe('world');
    await open(page, INPUTS_RUNBOOK.name);
    expect(await nameField(page).inputValue()).toBe('Kept Name');
    expect(await page.locator('[data-param="api_password"]').inputValue()).toBe('hunter2-password');

    await page.reload();
    await open(page, INPUTS_RUNBOOK.name);
    expect(await nameField(page).inputValue()).toBe('Kept Name');
    expect(await page.locator('[data-param="times"]').inputValue()).toBe('7');
    expect(await page.locator('[data-param="api_password"]').inputValue()).toBe('');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
    expect(stored).toContain('Kept Name');
    expect(stored).not.toContain('hunter2-password');

    await page.getByRole('button', { name: 'Reset to defaults' }).click();
    expect(await nameField(page).inputValue()).toBe('world');
    expect(await page.locator('[data-param="times"]').inputValue()).toBe('3');
    await page.close();
  });

  it('Re-run opens the run panel with the trajectory’s parameters and files; edited, it runs; compare shows what differs', async () => {
    expect(firstRun).toMatch(/^[0-9a-f]{8}$/);
    const page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(session.jetty.served.url);
    await openReplay(page, firstRun);
    await page.getByRole('button', { name: 'Re-run…' }).click();
    await page.locator('.run-plan').waitFor();
    await expect.poll(() => nameField(page).inputValue()).toBe('Ada');
    expect(await chips(page)).toEqual(['picked.txt', 'dropped.txt']);
    await nameField(page).fill('Grace');
    await session.browser.screenshotThemes(page, 'run-inputs-rerun');
    const second = await runToEnd(page);
    await openReplay(page, second);
    expect(commandOutput(second)).toBe(commandOutput(firstRun).replace('Ada', 'Grace'));
    await expect.poll(() => shownOutput(page), { timeout: 30_000 }).toContain('inputs for Grace:');

    // Every piece of evidence: the re-run links to the run it re-ran, its input files read in place,
    // its result files downloaded, opened full size and their path copied.
    await page.locator(`.relations [data-relation="rerun-of"] [data-open-trajectory="${firstRun}"]`).waitFor();
    await page.locator('[data-input="picked.txt"]').click();
    await expect.poll(() => page.locator('[data-input-preview]').textContent()).toContain('picked by the file picker');
    await page.locator('[data-artifact="summary.md"]').click();
    const actions = page.locator('[data-actions-for="summary.md"]');
    const [download] = await Promise.all([page.waitForEvent('download'), actions.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe('summary.md');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.jetty.served.origin });
    await actions.getByRole('button', { name: 'Copy path' }).click();
    const copied = path.join(session.jetty.served.dataDir, 'artifacts', second, 'summary.md');
    await expect.poll(() => actions.locator('.artifact-note').textContent()).toBe(`Copied ${copied}`);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(copied);
    await session.browser.screenshotThemes(page, 'replay-evidence');
    await actions.getByRole('button', { name: 'Open full size' }).click();
    const full = page.getByRole('dialog', { name: 'summary.md, full size' });
    await full.waitFor();
    await page.keyboard.press('Escape');
    await full.waitFor({ state: 'detached' });
    // The run it re-ran lists it, as a link.
    await page.locator(`[data-open-trajectory="${firstRun}"]`).click();
    await page.locator(`.relations [data-relation="reruns"] [data-open-trajectory="${second}"]`).waitFor();
    await page.locator(`[data-open-trajectory="${second}"]`).click();
    await expect.poll(() => page.locator('.replay-header h1').textContent()).toContain(INPUTS_RUNBOOK.name);

    await page.getByRole('button', { name: 'Compare…' }).click();
    await page.getByLabel('Add a run').selectOption(firstRun);
    const nameRow = page.locator('[data-param-row="name"]');
    await nameRow.waitFor();
    expect(await nameRow.getAttribute('data-differs')).toBe('true');
    expect(await nameRow.textContent()).toMatch(/name.*Grace.*Ada/);
    expect(await page.locator('[data-param-row="notes"]').getAttribute('data-differs')).toBe('false');
    const bash = page.locator('.compare-tool-calls tr[data-comparison="different"]');
    await bash.first().waitFor();
    expect(await bash.count()).toBe(1);
    expect(await bash.textContent()).toMatch(/bash.*inputs for Grace.*bash.*inputs for Ada/);
    expect(await page.locator('.compare-tool-calls tr[data-comparison="same"]').count()).toBeGreaterThan(0);
    // The differing call's arguments as a line diff.
    await bash.getByRole('button', { name: 'Diff' }).click();
    const diff = page.getByLabel(/^Differences in the arguments of call \d+$/);
    expect(await diff.locator('.diff-removed').textContent()).toContain('Grace');
    expect(await diff.locator('.diff-added').textContent()).toContain('Ada');
    await diff.scrollIntoViewIfNeeded();
    await session.browser.screenshotThemes(page, 'run-inputs-compare');
    // A third run beside them; the tool calls are against the one chosen.
    await page.getByLabel('Add a run').selectOption({ index: 1 });
    await expect.poll(() => page.locator('.compare-side').count()).toBe(3);
    await page.locator('.compare-against label').nth(1).click();
    await expect.poll(() => page.locator('.compare-against label.is-selected').textContent()).not.toContain(firstRun);
    await session.browser.screenshotThemes(page, 'compare-three');
    await page.close();
  });

  it('Re-run of a run started over REST /run-sync with a file fills in its parameters and that file', async () => {
    const { served } = session.jetty;
    const form = new FormData();
    form.set('init_params', JSON.stringify({ name: 'Rest', notes: '/app/assets/rest-notes.txt' }));
    form.append('files', new Blob(['notes sent over REST\n']), 'rest-notes.txt');
    const res = await fetch(`${served.origin}/api/v1/run-sync/${INPUTS_RUNBOOK.collection}/${INPUTS_RUNBOOK.name}`, { method: 'POST', headers: { authorization: `Bearer ${served.token}` }, body: form });
    const body = (await res.json()) as { trajectory_id: string; status: string; error: string | null };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.status, body.error ?? '').toBe('completed');
    const page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(served.url);
    await openReplay(page, body.trajectory_id);
    await page.getByRole('button', { name: 'Re-run…' }).click();
    await page.locator('.run-plan').waitFor();
    await expect.poll(() => nameField(page).inputValue()).toBe('Rest');
    expect(await chips(page)).toEqual(['rest-notes.txt']);
    const again = await runToEnd(page);
    expect(commandOutput(again)).toContain('== /app/assets/rest-notes.txt\nnotes sent over REST\n');
    await page.close();
  });

  it('Re-run of a trajectory whose runbook is no longer in an open folder says so', async () => {
    const page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(session.jetty.served.url);
    await rm(path.dirname(inputsRunbook()), { recursive: true, force: true });
    await page.getByLabel('Filter runbooks').fill(INPUTS_RUNBOOK.name);
    await expect.poll(() => page.locator(`[data-runbook="${INPUTS_RUNBOOK.name}"]`).count()).toBe(0);
    await openReplay(page, firstRun);
    await page.getByRole('button', { name: 'Re-run…' }).click();
    await expect.poll(() => page.locator('.rerun-problem').textContent()).toContain(`The runbook this trajectory ran (${INPUTS_RUNBOOK.collection}/${INPUTS_RUNBOOK.name}) is not in an open folder any more`);
    await page.close();
    session.browser.assertNoErrors(/the server responded with a status of 4\d\d/);
  });
});
