import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useJettyWithBrowser } from '../helpers/jetty-with-browser';
import { fail, reply, startScriptedModelServer, type ChatRequest, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

/** A workflow with a typo in its first activity: text steps, a fan-out over a child workflow file, one model call. */
const greet = {
  name: 'greet',
  description: 'Greets, fans out, asks a model',
  workflow: {
    init_params: { topic: 'boats', items: 'a,b,c' },
    step_configs: {
      say: { activity: 'text_ech', text_path: 'init_params.topic' },
      shout: { activity: 'text_echo', text_path: 'say.outputs.text' },
      split: { activity: 'text_split', text_path: 'init_params.items', separator: ',' },
      each: { activity: 'list_emit_await', items_path: 'split.outputs.chunks', child_workflow_name: 'demo/item', max_concurrency: 2 },
      ask: { activity: 'litellm_chat', model: 'openai/scripted', prompt: 'Summarize {{ shout.outputs.text }}!' },
    },
    steps: ['say', 'shout', 'split', 'each', 'ask'],
  },
};
const item = { init_params: { item: '' }, step_configs: { label: { activity: 'text_template', template: 'item {{ init_params.item }}' } }, steps: ['label'] };

const prompt = (r: ChatRequest | undefined) => String(r?.messages.at(-1)?.content ?? '');
let model: ScriptedModelServer;
let folder: string;

async function serve(): Promise<ServedJetty & { folder: string }> {
  // The first model call fails (a 503 the step retries); the rest are answered.
  let calls = 0;
  model = await startScriptedModelServer((r) => (calls++ === 0 ? fail(503) : reply(`summary of ${prompt(r)}`)));
  folder = await mkdtemp(path.join(os.tmpdir(), 'jetty-e2e-wf-'));
  await mkdir(path.join(folder, 'demo'), { recursive: true });
  await writeFile(path.join(folder, 'demo', 'greet.workflow.json'), `${JSON.stringify(greet, null, 2)}\n`);
  await writeFile(path.join(folder, 'demo', 'item.workflow.json'), `${JSON.stringify(item, null, 2)}\n`);
  await mkdir(path.join(folder, 'demo', 'note'), { recursive: true });
  await writeFile(path.join(folder, 'demo', 'note', 'RUNBOOK.md'), '---\nversion: "1.0.0"\nagent: builtin\n---\n\n# Note\n\nWrite a note.\n');
  const served = await startJettyServe(folder, { env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' } });
  return { ...served, folder };
}

const session = useJettyWithBrowser(serve);
afterAll(async () => {
  await model?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

const suggestions = (page: Page) => page.locator('.suggest-widget .monaco-list-row').allTextContents();
/** The problems' messages (without the hint each may carry). */
const problems = (page: Page) => page.locator('.problems .problem-text').allTextContents();
const stepStates = (scope: ReturnType<Page['locator']>) =>
  scope.locator('.sg-node').evaluateAll((nodes) => nodes.map((n) => `${(n as HTMLElement).dataset.step}:${(n as HTMLElement).dataset.state}`));

/** Selects the first match of `text` in the editor (Ctrl+F, Enter, Escape keeps the selection). */
async function selectInEditor(page: Page, text: string) {
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+f');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
}

describe('workflows in the app', () => {
  it('lists a workflow file, shows its unknown activity, is fixed, runs with a parameter, and replays its step graph and a fan-out child', async () => {
    const { jetty, browser } = session;
    const page = await browser.newPage();
    await page.goto(jetty.url);

    // Listed beside runbooks, marked as a workflow.
    const row = page.locator('[data-runbook="greet"][data-kind="workflow"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('workflow');
    await row.click();

    // Our diagnostic, located, in the problems list and as a marker in the editor.
    await expect.poll(() => problems(page), { timeout: 15_000 }).toEqual(["unknown activity 'text_ech'"]);
    await expect.poll(() => page.locator('.problems .problem-where').first().textContent()).toBe('WF002 · line 11');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor();
    await browser.screenshot(page, 'workflow-unknown-activity');

    // Activity names complete from the schema; the fix clears the diagnostic.
    await selectInEditor(page, 'text_ech"');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('text_');
    await page.keyboard.press('Control+Space');
    await expect.poll(() => suggestions(page)).toEqual(['"text_concatenate"', '"text_echo"', '"text_split"', '"text_template"']);
    await page.keyboard.press('Escape');
    await page.keyboard.type('echo"');
    await expect.poll(() => problems(page)).toEqual([]);

    // A *_path value completes with init params and earlier steps' outputs, not later steps.
    await selectInEditor(page, '"say.outputs.text"');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('""');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Control+Space');
    await expect.poll(() => suggestions(page)).toEqual(expect.arrayContaining([expect.stringContaining('say.outputs.text'), expect.stringContaining('init_params.topic')]));
    expect((await suggestions(page)).some((s) => s.includes('split.outputs'))).toBe(false);
    await page.keyboard.type('say.outputs.te');
    await page.keyboard.press('Control+Space');
    await page.locator('.suggest-widget .monaco-list-row', { hasText: 'say.outputs.text' }).first().waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => problems(page)).toEqual([]);
    await page.keyboard.press('Control+s');
    await page.getByLabel('unsaved changes').waitFor({ state: 'detached' });
    const saved = JSON.parse(await readFile(path.join(folder, 'demo', 'greet.workflow.json'), 'utf8'));
    expect(saved.workflow.step_configs.say.activity).toBe('text_echo');
    expect(saved.workflow.step_configs.shout.text_path).toBe('say.outputs.text');

    // Run from the form built from init_params; the step graph follows to the end.
    const panel = page.locator('.run-panel');
    await panel.locator('[data-param="topic"]').fill('ships');
    await panel.getByRole('button', { name: 'Run', exact: true }).click();
    await panel.locator('.step-graph[data-status="completed"]').waitFor({ timeout: 30_000 });
    expect(await stepStates(panel)).toEqual(['say:completed', 'shout:completed', 'split:completed', 'each:completed', 'ask:completed']);
    expect(model.generations.map(prompt)).toEqual(['Summarize ships!', 'Summarize ships!']);
    // The step's retry (a retry event) is on its node and in its detail.
    expect(await panel.locator('[data-step="ask"] .sg-retries').textContent()).toBe('1 retry');
    await panel.locator('[data-step="ask"] .sg-head').click();
    await expect.poll(() => panel.locator('[data-step="ask"] .sg-detail').textContent()).toContain('summary of Summarize ships!');
    expect(await panel.locator('[data-step="ask"] .sg-attempt').textContent()).toMatch(/attempt 1 failed: .*503/);
    // The run ended where it is shown: neither it nor its children and model calls are announced.
    expect(await page.locator('.toasts .toast').count()).toBe(0);
    await browser.screenshot(page, 'workflow-run-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await browser.screenshot(page, 'workflow-run-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // The replay viewer shows the same graph; a fan-out child opens as its own trajectory.
    await panel.getByRole('button', { name: 'Open replay' }).click();
    const graph = page.locator('.replay .step-graph');
    await graph.waitFor();
    expect(await stepStates(graph)).toEqual(['say:completed', 'shout:completed', 'split:completed', 'each:completed', 'ask:completed']);
    expect(await graph.locator('[data-step="each"] .sg-child').count()).toBe(3);
    // The runs under it, as links: its fan-out children and its model calls.
    const under = page.getByRole('list', { name: 'Runs under this workflow' });
    await expect.poll(() => under.locator('[data-link="child"]').count()).toBe(3);
    expect(await under.locator('[data-link="call"]').count()).toBeGreaterThan(0);
    const nestedIds = await under.locator('[data-nested]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.nested));
    await graph.locator('[data-step="each"] .sg-child[data-child="1"]').click();
    await expect.poll(() => page.locator('.replay-header h1').textContent()).toContain('demo/item');
    await page.locator('.replay .step-graph [data-step="label"] .sg-head').click();
    await expect.poll(() => page.locator('.replay .step-graph [data-step="label"] .sg-detail').textContent()).toContain('item b');
    await page.locator('.replay .step-graph').getByRole('button', { name: /Parent \(each #1\)/ }).waitFor();
    await browser.screenshot(page, 'workflow-child-replay-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await browser.screenshot(page, 'workflow-child-replay-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // In the list they are under the workflow, not rows of their own.
    await page.keyboard.press('Alt+2');
    const workflowRow = page.locator('.trajectory-table tr[data-nested]');
    await workflowRow.waitFor();
    const topIds = await page.locator('.trajectory-table tbody tr[data-trajectory]:not(.nested-row)').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.trajectory));
    expect(topIds.filter((id) => nestedIds.includes(id))).toEqual([]);
    await workflowRow.locator('.nest-toggle').click();
    await expect.poll(() => page.locator('.nested-row[data-parent]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.trajectory).sort())).toEqual([...nestedIds].sort());
    await browser.screenshotThemes(page, 'workflow-nested-rows');
  });

  it('opens a workflow file after a runbook, and the runbook again, without Monaco errors (the JSON features’ services are there before the first editor)', async () => {
    const { jetty, browser } = session;
    const seen = browser.errors.length;
    const page = await browser.newPage();
    await page.goto(jetty.url);
    const text = () => page.locator('.monaco-editor .view-lines').textContent();
    await page.locator('[data-runbook="note"]').click();
    await expect.poll(text).toMatch(/Write.a.note/);
    await page.locator('[data-runbook="greet"][data-kind="workflow"]').click();
    await expect.poll(text).toContain('step_configs');
    // JSON's language features arrive in a chunk of their own: once it is in, editors made from now on use them.
    await expect.poll(() => page.evaluate(() => performance.getEntriesByType('resource').some((e) => /jsonMode/.test(e.name)))).toBe(true);
    await page.locator('[data-runbook="note"]').click();
    await expect.poll(text).toMatch(/Write.a.note/);
    await page.locator('[data-runbook="greet"][data-kind="workflow"]').click();
    await expect.poll(text).toContain('step_configs');
    expect(browser.errors.slice(seen)).toEqual([]);
  });
});
