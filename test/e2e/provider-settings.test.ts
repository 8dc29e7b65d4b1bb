// Settings → Providers in the browser against the built `jetty serve`: a local server playing
// Ollama (set by OLLAMA_BASE_URL) is detected with each model's tools and context; an endpoint
// playing LM Studio is tested and added ("connected, 1 model") and can be removed; the
// catalog lists Bedrock as not supported yet.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SCREENSHOT_DIR, type TestBrowser } from '../helpers/browser';
import { reply, startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

let ollama: ScriptedModelServer;
let lmstudio: ScriptedModelServer;
let jetty: ServedJetty;
let browser: TestBrowser;
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'jetty-e2e-providers-'));
  ollama = await startScriptedModelServer(() => reply('hi'), { localServer: { kind: 'ollama', models: [{ name: 'qwen3:4b', tools: true, context: 8192 }, { name: 'tiny:1b', tools: false, context: 512 }] } });
  lmstudio = await startScriptedModelServer(() => reply('hi'), { localServer: { kind: 'lmstudio', models: [{ name: 'qwen/qwen3-4b', tools: true, context: 32768 }] } });
  [jetty, browser] = await Promise.all([startJettyServe(folder, { env: { OLLAMA_BASE_URL: ollama.url } }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  expect(await jetty?.stop()).toBe(0);
  await ollama?.close();
  await lmstudio?.close();
  await rm(folder, { recursive: true, force: true });
});

describe('Settings → Providers', () => {
  it('detects a local server with its models’ tools and context, and tests, adds and removes an endpoint', async () => {
    const page = await browser.newPage();
    await page.goto(jetty.url);
    await page.locator('.nav-tabs').getByRole('button', { name: 'Settings', exact: true }).click();
    const section = page.getByRole('region', { name: 'Providers' });
    const server = section.locator('[data-local-server="ollama"]');
    await server.locator('[data-local-model="ollama/tiny:1b"]').waitFor();
    expect(await server.getAttribute('data-reachable')).toBe('true');
    expect(await server.locator('[data-local-model="ollama/qwen3:4b"]').textContent()).toContain('tools: yes, context: 8,192 tokens');
    expect(await server.locator('[data-local-model="ollama/tiny:1b"]').textContent()).toContain('tools: no, context: 512 tokens');

    await section.getByLabel('Endpoint name').fill('lab');
    await section.getByLabel('Endpoint base URL').fill(lmstudio.url);
    await section.getByRole('button', { name: 'Test and add' }).click();
    const added = section.locator('[data-endpoint="lab"]');
    await added.waitFor();
    await added.getByRole('button', { name: 'Test' }).click();
    await added.getByText('connected, 1 model').waitFor();

    await section.scrollIntoViewIfNeeded();
    await section.screenshot({ path: path.join(SCREENSHOT_DIR, 'settings-providers.png') });
    await section.locator('summary').click();
    const bedrock = section.locator('[data-provider="bedrock"]');
    expect(await bedrock.locator('[data-unsupported]').textContent()).toMatch(/not supported yet: Amazon Bedrock needs SigV4/);
    await bedrock.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'settings-providers-catalog.png') });

    await added.getByRole('button', { name: 'Remove' }).click();
    await added.waitFor({ state: 'detached' });
    const settings = await fetch(`${jetty.origin}/api/health`, { headers: { authorization: `Bearer ${jetty.token}` } });
    expect(settings.status).toBe(200);
    browser.assertNoErrors();
  }, 60_000);
});
