import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useJettyWithBrowser } from '../helpers/jetty-with-browser';
import { allowS3Keys, startS3Server, type S3Server } from '../helpers/s3-server';
import { SECRET_REPORT, startRunnableJetty } from './runnable-jetty';

const KEY_ID = 'JETTYE2EKEY00001';
const SECRET_KEY = 'jetty-e2e-storage-secret/Vb7+never-shown';
const ARTIFACTS = ['summary.md', 'validation_report.json'];

const session = useJettyWithBrowser(startRunnableJetty);

const nav = (page: Page, screen: string) => page.locator('.nav-tabs').getByRole('button', { name: screen, exact: true }).click();

describe('collection storage in the UI (s3rver on loopback, a real Docker run)', () => {
  let s3: S3Server;

  beforeAll(async () => {
    allowS3Keys(KEY_ID, SECRET_KEY);
    s3 = await startS3Server(['e2e-artifacts', 'e2e-archive']);
  });
  afterAll(async () => {
    await s3?.close();
  });

  const bucketKeys = async (bucket: string) => {
    const client = new S3Client({ endpoint: s3.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const out = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    return (out.Contents ?? []).map((o) => o.Key ?? '').sort();
  };
  /** Screenshots `name` in light and dark with `focus` scrolled into view. */
  const shoot = async (page: Page, name: string, focus: Locator) => {
    await focus.scrollIntoViewIfNeeded();
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await session.browser.screenshot(page, `${name}-${colorScheme}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  };
  const saveKeys = async (page: Page, id: string, secret: string) => {
    await page.getByLabel('Access key ID').fill(id);
    await page.getByLabel('Secret access key').fill(secret);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('[data-storage-credentials="vault"]').waitFor();
  };

  it('configures S3 for a collection, tests the connection, shows uploads pending while the server is down and done after Retry, and copies to a new bucket with progress', async () => {
    const { jetty, browser } = session;
    const page = await browser.newPage({ colorScheme: 'light' });
    await page.goto(jetty.served.url);
    await page.getByLabel('Folder path').fill(jetty.folder);
    await page.getByRole('button', { name: 'Open folder' }).click();
    await page.locator(`[data-collection="${SECRET_REPORT.collection}"] [data-runbook="${SECRET_REPORT.name}"]`).waitFor();

    // Settings → Storage: the collection of the opened folder, kept locally by default.
    await nav(page, 'Settings');
    const storage = page.locator('section[aria-label="Storage"]');
    await storage.getByLabel('Collection', { exact: true }).selectOption(SECRET_REPORT.collection);
    await storage.getByLabel('Storage backend').selectOption('s3');
    await storage.getByLabel('Bucket', { exact: true }).fill('e2e-artifacts');
    await storage.getByLabel('Prefix', { exact: true }).fill('team');
    await storage.getByLabel('Endpoint', { exact: true }).fill(s3.url);
    await storage.getByText('Path-style URLs').click();

    // Wrong keys: Test connection says so in plain words, with the server's code.
    await saveKeys(page, 'NOSUCHKEY', 'not-the-secret');
    await storage.getByRole('button', { name: 'Test connection' }).click();
    const test = storage.locator('.storage-test');
    await expect.poll(() => test.getAttribute('data-storage-test')).toBe('bad_credentials');
    expect(await test.textContent()).toMatch(/access key or secret is wrong.*InvalidAccessKeyId/s);
    await shoot(page, 'storage-test-bad-credentials', test);

    // Right keys: connected; the secret is never shown back.
    await saveKeys(page, KEY_ID, SECRET_KEY);
    await storage.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => test.getAttribute('data-storage-test')).toBe('ok');
    expect(await test.textContent()).toContain('s3://e2e-artifacts/team');
    expect(await page.content()).not.toContain(SECRET_KEY);
    await shoot(page, 'storage-test-ok', test);

    // The server goes down; a run completes, its artifacts stay local and show "upload pending".
    await s3.stop();
    await nav(page, 'Runbooks');
    await page.locator(`[data-collection="${SECRET_REPORT.collection}"] [data-runbook="${SECRET_REPORT.name}"]`).click();
    await page.locator('[data-param="topic"]').fill('storage');
    const secret = page.locator('[data-secret="DEMO_TOKEN"]');
    await secret.getByLabel('Value of DEMO_TOKEN').fill('e2e-demo-token');
    await secret.getByRole('button', { name: 'Set' }).click();
    await expect.poll(() => secret.getAttribute('data-configured')).toBe('true');
    await page.locator('.run-actions .button-primary').click();
    const status = page.locator('.run-status [data-status]');
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 180_000 }).toMatch(/completed|failed/);
    expect(await status.getAttribute('data-status')).toBe('completed');
    for (const name of ARTIFACTS) await page.locator(`[data-artifact="${name}"] [data-upload-state="pending"]`).waitFor();
    const runId = (await page.locator('.run-status .run-id').textContent()) ?? '';
    expect(runId).toMatch(/^[0-9a-f]{8}$/);
    await shoot(page, 'storage-upload-pending', page.locator('[data-artifact="summary.md"]'));

    // Settings lists them with the reason (no network); the server comes back and Retry sends them now.
    await nav(page, 'Settings');
    await storage.getByLabel('Collection', { exact: true }).selectOption(SECRET_REPORT.collection);
    const pending = storage.locator('.pending-uploads');
    await expect.poll(() => pending.textContent(), { timeout: 30_000 }).toContain('could not be reached');
    expect(Number(await pending.getAttribute('data-pending-uploads'))).toBeGreaterThanOrEqual(ARTIFACTS.length);
    await shoot(page, 'storage-pending-list', pending);
    await s3.start();
    await storage.getByRole('button', { name: 'Retry all now' }).click();
    await storage.locator('[data-pending-uploads="0"]').waitFor({ timeout: 30_000 });
    const uploaded = await bucketKeys('e2e-artifacts');
    for (const name of ARTIFACTS) expect(uploaded, name).toContain(`team/artifacts/${runId}/${name}`);

    // The replay's artifact list now says "uploaded".
    await nav(page, 'Trajectories');
    await page.locator(`tr[data-trajectory="${runId}"] .link-button`).click();
    for (const name of ARTIFACTS) await page.locator(`[data-artifact="${name}"] [data-upload-state="done"]`).waitFor();
    await shoot(page, 'storage-replay-uploaded', page.locator('[data-artifact="summary.md"]'));

    // Switching to another bucket offers to copy what is there, and shows the copy's progress.
    await nav(page, 'Settings');
    await storage.getByLabel('Collection', { exact: true }).selectOption(SECRET_REPORT.collection);
    await storage.getByLabel('Bucket', { exact: true }).fill('e2e-archive');
    await storage.getByRole('button', { name: 'Save', exact: true }).click();
    const offer = storage.getByRole('alertdialog', { name: 'Copy existing artifacts' });
    await offer.waitFor();
    expect(await offer.textContent()).toMatch(/^\d+ artifacts \(.+\) are in s3:\/\/e2e-artifacts\/team; copy them to s3:\/\/e2e-archive\/team\?/);
    await shoot(page, 'storage-copy-offer', offer);
    await offer.getByRole('button', { name: /^Copy \d+ artifacts?$/ }).click();
    await storage.locator('.copy-progress[data-copy-state="done"]').waitFor({ timeout: 30_000 });
    expect(await storage.locator('.copy-progress').textContent()).toMatch(/Copied (\d+) of \1 artifacts/);
    await shoot(page, 'storage-copy-done', storage.locator('.copy-progress'));
    const archived = await bucketKeys('e2e-archive');
    for (const name of ARTIFACTS) expect(archived, name).toContain(`team/artifacts/${runId}/${name}`);
    browser.assertNoErrors(/Failed to load resource/);
  });
});
