// The image choice in the browser, with real runs in Docker: a runbook naming
// `snapshot: python312-uv` (which cannot be built here: no registry) fails at once saying why,
// with the local images and where to choose; the run panel offers Docker's local images for
// this run and shows where the image comes from; Settings sets the default image.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../electron/engine/store';
import { TEST_BASE_IMAGE } from '../helpers/docker';
import { serveWithModel, useJettyWithBrowser } from '../helpers/jetty-with-browser';
import { helloReport } from '../helpers/scripted-model-scripts';

/** `jetty serve` on a folder with hello-report as `acme/hello` (snapshot: python312-uv), runs answered by the scripted model; no JETTY_SANDBOX_IMAGE. */
async function serveHello() {
  const asAcmeHello = async (folder: string) => {
    const runbook = path.join(folder, 'runbooks/acme/hello/RUNBOOK.md');
    await mkdir(path.dirname(runbook), { recursive: true });
    await writeFile(runbook, await readFile(path.resolve('resources/examples/demo/hello-report/RUNBOOK.md'), 'utf8'));
  };
  return serveWithModel('image', helloReport, asAcmeHello, { env: { JETTY_MODEL: 'scripted-model', JETTY_SANDBOX_IMAGE: '' } });
}

const session = useJettyWithBrowser(serveHello);

const status = (page: Page) => page.locator('.run-status [data-status]');
const imageRow = (page: Page) => page.locator('[data-plan="image"]');

async function runAndWait(page: Page) {
  const run = page.locator('.run-actions .button-primary');
  await expect.poll(() => run.isEnabled()).toBe(true);
  const before = await page.locator('.run-status .run-id').textContent().catch(() => null);
  await run.click();
  await expect.poll(async () => (await page.locator('.run-status .run-id').textContent()) !== before).toBe(true);
  await expect.poll(() => status(page).getAttribute('data-status'), { timeout: 120_000 }).toMatch(/completed|failed/);
  return (await page.locator('.run-status .run-id').textContent())!;
}

function sandboxStep(id: string) {
  const store = openStore(path.join(session.jetty.served.dataDir, 'jetty.db'));
  try {
    return store.getTrajectory(id)!.steps.sandbox;
  } finally {
    store.close();
  }
}

describe('the sandbox image, chosen in the run panel and in Settings', () => {
  it('fails a snapshot that cannot be built saying why, offers the local images, and runs in the one chosen', async () => {
    const page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(session.jetty.served.url);
    await page.locator('[data-runbook="hello"]').first().click();
    await page.locator('.run-plan').waitFor();
    await expect.poll(() => imageRow(page).textContent()).toContain('snapshot python312-uv');

    // The local images Docker has are offered as this run's choices.
    const field = page.getByLabel('Image for this run');
    const listId = (await field.getAttribute('list'))!;
    await expect.poll(() => page.locator(`datalist[id="${listId}"] option[value="${TEST_BASE_IMAGE}"]`).count()).toBe(1);
    expect(await field.getAttribute('placeholder')).toBe('as planned: snapshot python312-uv (runbook)');

    // No choice: the run fails at once, saying why and what to do.
    expect(await status(page).count()).toBe(0);
    await runAndWait(page);
    expect(await status(page).getAttribute('data-status')).toBe('failed');
    const error = page.locator('.run-status ~ .run-error');
    expect(await error.textContent()).toMatch(/^Building snapshot "python312-uv" \(jetty-sandbox\/python312-uv:latest\) failed: /);
    expect(await error.textContent()).toContain(TEST_BASE_IMAGE);
    expect(await error.textContent()).toContain('Choose an image for one run in the run panel (Image for this run)');
    await error.scrollIntoViewIfNeeded();
    await session.browser.screenshotThemes(page, 'run-panel-image-unavailable');

    // This run's image: the plan says where it comes from, the run uses it and its trajectory records it.
    await field.fill(TEST_BASE_IMAGE);
    await expect.poll(() => imageRow(page).textContent()).toMatch(new RegExp(`^Image${TEST_BASE_IMAGE} from the run panel · runbook: snapshot python312-uv`));
    expect(await imageRow(page).getAttribute('data-substituted')).toBe('true');
    await page.locator('.run-image').evaluate((section) => section.scrollIntoView({ block: 'start' }));
    await session.browser.screenshotThemes(page, 'run-panel-image-choice');
    const id = await runAndWait(page);
    expect(await status(page).getAttribute('data-status')).toBe('completed');
    expect(sandboxStep(id).inputs).toMatchObject({ image: TEST_BASE_IMAGE, image_source: 'the run panel' });

    // A name that is no image name is refused before any run.
    await field.fill('not an image');
    expect(await page.locator('.run-image [role="alert"]').textContent()).toMatch(/^an image name such as jetty-test\/base:latest/);
    expect(await page.locator('.run-actions .button-primary').isDisabled()).toBe(true);
    await field.fill('');
    await page.close();
  });

  it('Settings → Sandbox image sets the default image, which the run panel shows as the source', async () => {
    const page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(session.jetty.served.url);
    await page.locator('.nav-tabs').getByRole('button', { name: 'Settings', exact: true }).click();
    const section = page.locator('section[aria-label="Sandbox image"]');
    await section.waitFor();
    const defaultImage = section.getByLabel('Default image');
    const listId = (await defaultImage.getAttribute('list'))!;
    await expect.poll(() => page.locator(`datalist[id="${listId}"] option[value="${TEST_BASE_IMAGE}"]`).count()).toBe(1);
    await defaultImage.fill(TEST_BASE_IMAGE);
    await defaultImage.press('Enter');
    // The collection's own image, over the default: set, listed, and cleared again.
    await expect.poll(() => section.getByLabel('Collection of the image').inputValue()).toBe('acme');
    const collectionImage = section.getByLabel('Collection image');
    await collectionImage.fill(TEST_BASE_IMAGE);
    await collectionImage.press('Enter');
    await expect.poll(() => section.locator('[data-collection-image="acme"]').textContent()).toBe(`acme → ${TEST_BASE_IMAGE} Clear`);
    await section.scrollIntoViewIfNeeded();
    await session.browser.screenshotThemes(page, 'settings-sandbox-image');
    const settings = JSON.parse(await readFile(path.join(session.jetty.served.dataDir, 'settings.json'), 'utf8')) as { defaultImage: string; collectionImages: Record<string, string> };
    expect([settings.defaultImage, settings.collectionImages]).toEqual([TEST_BASE_IMAGE, { acme: TEST_BASE_IMAGE }]);

    await page.locator('.nav-tabs').getByRole('button', { name: 'Runbooks', exact: true }).click();
    await page.locator('[data-runbook="hello"]').first().click();
    await expect.poll(() => imageRow(page).textContent()).toContain(`${TEST_BASE_IMAGE} from Settings → Sandbox image of collection acme`);

    await page.locator('.nav-tabs').getByRole('button', { name: 'Settings', exact: true }).click();
    await section.locator('[data-collection-image="acme"]').getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => section.locator('[data-collection-image]').count()).toBe(0);
    await page.locator('.nav-tabs').getByRole('button', { name: 'Runbooks', exact: true }).click();
    await page.locator('[data-runbook="hello"]').first().click();
    await expect.poll(() => imageRow(page).textContent()).toContain(`${TEST_BASE_IMAGE} from Settings → Default image`);
    const id = await runAndWait(page);
    expect(await status(page).getAttribute('data-status')).toBe('completed');
    expect(sandboxStep(id).inputs).toMatchObject({ image: TEST_BASE_IMAGE, image_source: 'Settings → Default image' });
    session.browser.assertNoErrors();
    await page.close();
  });
});
