// Interop in the browser, against a real `jetty serve`: a Harbor ATIF trajectory imported
// from the Trajectories screen opens in replay (its messages, tool calls and observations as
// events) and downloads again as ATIF from replay's Export ATIF, the same document; the
// Routines screen creates a routine of a workflow task, runs it now, shows its run (tagged
// with the routine) and opens it in replay, pauses and deletes it; with a collector set in
// Settings, that run reaches a real OTLP receiver and Settings counts the spans sent.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useJettyWithBrowser, serveWorkspaceCopy } from '../helpers/jetty-with-browser';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver';

const session = useJettyWithBrowser(() => serveWorkspaceCopy());
const HARBOR = path.resolve('test/fixtures/atif/harbor-job/count-files__Zr81Mv/agent/trajectory.json');
const ECHO = { init_params: { text: 'hello' }, step_configs: { echo: { activity: 'text_echo', text_path: 'init_params.text' } }, steps: ['echo'] };

const nav = (page: Page, screen: string) => page.locator('.nav-tabs').getByRole('button', { name: screen, exact: true }).click();
const rest = async (method: string, pathname: string, body?: unknown) => {
  const res = await fetch(new URL(`/api/v1${pathname}`, session.jetty.url), {
    method,
    headers: { authorization: `Bearer ${session.jetty.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

describe('interop in the app', () => {
  let page: Page;
  let receiver: OtlpReceiver | undefined;
  afterAll(async () => receiver?.close());

  it('imports a Harbor ATIF trajectory, replays it, and exports it again as the same ATIF document', async () => {
    page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(session.jetty.url);
    await nav(page, 'Trajectories');
    await page.getByTestId('import-file').setInputFiles(HARBOR);
    await page.locator('.replay-header').waitFor();
    const original = JSON.parse(await readFile(HARBOR, 'utf8'));
    const body = page.locator('.replay-body');
    // The agent's message, its tool call and the observation are events of the replay.
    await expect.poll(() => body.innerText(), { timeout: 15_000 }).toContain(original.steps.find((s: { source: string }) => s.source === 'agent').message);
    expect(await body.innerText()).toMatch(/bash/);
    await session.browser.screenshotThemes(page, 'atif-harbor-import-replay');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export ATIF' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^trajectory-[0-9a-f]+\.atif\.json$/);
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8'));
    const { extra, ...rest } = exported;
    const { jetty, ...theirExtra } = extra ?? {};
    expect(jetty).toBeDefined();
    expect({ ...rest, ...(Object.keys(theirExtra).length ? { extra: theirExtra } : {}) }).toEqual({ ...original, schema_version: exported.schema_version });
  }, 120_000);

  it('creates a routine in the Routines screen, runs it now (traced to the collector Settings names), shows its run and opens it; pauses and deletes it', async () => {
    receiver = await startOtlpReceiver();
    await nav(page, 'Settings');
    const collector = page.getByLabel('Collector (OTLP/HTTP)');
    await collector.fill(receiver.url);
    await collector.press('Enter');
    await expect.poll(async () => (await rest('GET', '/telemetry')).json.otlp).not.toBeNull();
    expect((await rest('POST', '/collections/', { name: 'sched' })).status).toBe(201);
    expect((await rest('POST', '/tasks/sched', { name: 'echo', workflow: ECHO })).status).toBe(201);
    await nav(page, 'Routines');
    await page.locator('[data-routines-empty]').waitFor();
    const form = page.getByRole('form', { name: 'New routine' });
    await form.getByLabel('Collection').fill('sched');
    await form.getByLabel('Task (runbook or workflow)').fill('echo');
    await form.getByLabel('Routine name').fill('morning');
    await form.getByLabel('Cadence').selectOption('weekdays');
    await form.getByLabel('Time (UTC)').fill('09:30');
    await form.getByLabel(/Parameter overrides/).fill('{"text": "from the routines screen"}');
    await form.getByRole('button', { name: 'Create routine' }).click();

    const card = page.locator('[data-routine="sched/echo/morning"]');
    await card.waitFor();
    expect(await card.innerText()).toMatch(/weekdays at 09:30 UTC · next/);
    await card.getByRole('button', { name: 'Run now' }).click();
    const run = card.locator('[data-routine-run]');
    await expect.poll(() => run.first().innerText(), { timeout: 30_000 }).toMatch(/completed · run now/);
    await session.browser.screenshotThemes(page, 'routines-screen');

    // A bad override is refused with the engine's words, nothing created.
    await form.getByLabel('Routine name').fill('bad');
    await form.getByLabel(/Parameter overrides/).fill('{"nope": 1}');
    await form.getByRole('button', { name: 'Create routine' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/nope/);
    expect(await page.locator('[data-routine="sched/echo/bad"]').count()).toBe(0);

    await card.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => card.locator('.pill').innerText()).toBe('paused');
    const id = await run.first().getAttribute('data-routine-run');
    await run.first().locator('button').click();
    await page.locator('.replay-header').waitFor();
    expect(await page.locator('.replay-header').innerText()).toContain(id!);
    const traj = await rest('GET', `/db/trajectory/sched/echo/${id}`);
    expect(traj.json).toMatchObject({ triggered_by_routine_id: expect.any(Number), init_params: { text: 'from the routines screen' } });

    // The run went to the collector as an invoke_workflow span; Settings counts it.
    await expect.poll(() => receiver!.spans.filter((sp) => sp.name === 'invoke_workflow echo').length, { timeout: 20_000 }).toBeGreaterThan(0);
    await nav(page, 'Settings');
    await expect.poll(async () => Number(await page.locator('[data-telemetry-sent]').getAttribute('data-telemetry-sent'))).toBeGreaterThan(0);
    await page.getByRole('region', { name: 'Telemetry' }).scrollIntoViewIfNeeded();
    await session.browser.screenshotThemes(page, 'settings-telemetry');

    await nav(page, 'Routines');
    await page.locator('[data-routine="sched/echo/morning"]').getByRole('button', { name: 'Delete' }).click();
    await page.locator('[data-routines-empty]').waitFor();
  }, 120_000);
});
