import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

let upstream: FakeUpstream;
let jetty: ServedJetty;
let browser: TestBrowser;
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'jetty-e2e-passthrough-'));
  upstream = await startFakeUpstream();
  [jetty, browser] = await Promise.all([
    startJettyServe(folder, { env: { OPENAI_BASE_URL: upstream.baseUrl, OPENAI_API_KEY: 'sk-upstream' } }),
    launchBrowser(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  expect(await jetty?.stop()).toBe(0);
  await upstream?.close();
  await rm(folder, { recursive: true, force: true });
});

/** One passthrough call through the built `jetty serve`; its trajectory id. */
async function call(n: number): Promise<string> {
  const response = await fetch(`${jetty.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${jetty.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: `call ${n}` }] }),
  });
  expect(response.status).toBe(200);
  await response.json();
  return response.headers.get('x-jetty-trajectory-id') ?? '';
}

describe('passthrough calls in the Trajectories list', () => {
  it('appear while the list is open, and keep appearing during a steady stream of calls', async () => {
    const page = await browser.newPage({ colorScheme: 'dark' });
    await page.goto(jetty.url);
    await page.locator('.nav-tabs').getByRole('button', { name: 'Trajectories', exact: true }).click();
    await page.getByRole('heading', { name: 'No trajectories yet' }).waitFor();
    await browser.screenshot(page, 'trajectories-empty');

    const first = await call(0);
    await page.locator(`tr[data-trajectory="${first}"]`).waitFor({ timeout: 15_000 });
    // A call of a few ms shows its duration in ms, not as 0:00.
    expect(await page.locator(`tr[data-trajectory="${first}"]`).textContent()).toMatch(/passthrough\/openai.*completed.*\d+ ms/);

    // Calls every 20 ms for 3 s: the list must catch up while they still arrive, not only after.
    const total = () => page.locator('[data-total]').getAttribute('data-total').then(Number);
    const seenDuringStream: number[] = [];
    let n = 1;
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      await call(n++);
      await new Promise((r) => setTimeout(r, 20));
      if (n % 25 === 0) seenDuringStream.push(await total());
    }
    expect(Math.max(...seenDuringStream)).toBeGreaterThan(seenDuringStream[0]);
    await expect.poll(total, { timeout: 15_000 }).toBe(n);
    await browser.screenshot(page, 'trajectories-passthrough');
    browser.assertNoErrors();
  });
});
