import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli';
import { TEST_BASE_IMAGE } from '../helpers/docker';
import { useJettyWithBrowser } from '../helpers/jetty-with-browser';
import { NAMED_SCRIPTS } from '../helpers/scripted-model-scripts';
import { signInToRemote, startLocalAndRemote } from './local-and-remote';

const SECRET = 'GREETING_TOKEN';
const SECRET_VALUE = 'greet-9f86d081884c7d65';

/** The example runbook, declaring a secret the remote collection lacks. */
async function writeRunbooks(folder: string): Promise<void> {
  const text = await readFile(path.join(REPO, 'resources/examples/demo/hello-report/RUNBOOK.md'), 'utf8');
  await mkdir(path.join(folder, 'demo/hello-report'), { recursive: true });
  await writeFile(
    path.join(folder, 'demo/hello-report/RUNBOOK.md'),
    text.replace('primary_outputs:', `secrets:\n  ${SECRET}:\n    env: ${SECRET}\n    description: test secret\n    required: true\nprimary_outputs:`),
  );
}

const session = useJettyWithBrowser(() =>
  startLocalAndRemote({ name: 'cloud', script: NAMED_SCRIPTS['hello-report'], writeRunbooks, remoteEnv: { JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE } }),
);
const remoteGet = (p: string) => session.jetty.remoteGet(p);

describe('the Cloud view against a second real jetty serve', () => {
  it('signs in, deploys after the secret preflight, runs remotely and follows it, pulls, and opens the trajectory in replay', async () => {
    const { local, remote } = session.jetty;
    const page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(local.url);
    // The serve's own JETTY_API_TOKEN never goes to the remote: signed out, the form asks for the remote's token.
    const connection = await signInToRemote(page, remote);
    const shown = (await connection.locator('[data-token]').textContent()) ?? '';
    expect(shown).toContain('…');
    expect(await page.content()).not.toContain(remote.token);

    // Deploy: the preflight names the missing secret; typed in (into the vault), then the deploy sets it.
    const push = page.locator('.cloud-push');
    await push.getByRole('button', { name: 'Check secrets' }).click();
    const missing = push.locator(`[data-missing-secret="${SECRET}"]`);
    await expect.poll(() => missing.getAttribute('data-in-vault')).toBe('false');
    expect(await push.getByRole('button', { name: 'Deploy' }).isDisabled()).toBe(true);
    await session.browser.screenshotThemes(page, 'cloud-preflight');
    await missing.getByLabel(`Value of ${SECRET}`).fill(SECRET_VALUE);
    await missing.getByRole('button', { name: 'Set' }).click();
    await expect.poll(() => missing.getAttribute('data-in-vault')).toBe('true');
    await push.getByRole('button', { name: 'Deploy' }).click();
    const deployed = push.locator('[data-deploy-result]');
    await expect.poll(() => deployed.textContent()).toContain(`Deployed demo/hello-report (task created, collection created, secrets set: ${SECRET}, folder: 1 file)`);
    expect(await remoteGet('/collections/demo/environment')).toHaveProperty(SECRET);
    await expect.poll(() => push.locator('.cloud-preflight').getAttribute('data-missing')).toBe('');
    expect(await page.content()).not.toContain(SECRET_VALUE);

    // Run remotely (builtin agent at the scripted model, real Docker on the remote), followed in the live-log view.
    const run = push.locator('.cloud-run');
    await run.locator('[data-param="name"]').fill('Ada');
    await run.getByLabel('Agent').selectOption('builtin');
    await run.getByLabel('Model').fill('scripted');
    await run.getByRole('button', { name: 'Run remotely' }).click();
    const followed = run.locator('.cloud-followed');
    const status = followed.locator('.run-status [data-status]');
    await expect.poll(() => followed.locator('.log-view').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 180_000 }).toBe('completed');
    const localId = (await followed.locator('.run-id').textContent()) ?? '';
    expect(localId).toMatch(/^[0-9a-f]{8}$/);
    await followed.scrollIntoViewIfNeeded();
    await session.browser.screenshotThemes(page, 'cloud-run-followed');

    // Browse the remote to the task, pull it (idempotent: the followed run is already here), open the local copy.
    const browse = page.locator('.cloud-browse');
    await browse.locator('[data-cloud-collection="demo"] .cloud-item').click();
    await browse.locator('[data-cloud-task="hello-report"] .cloud-item').click();
    const rows = browse.locator('[data-remote-trajectory]');
    await expect.poll(() => rows.count()).toBe(1);
    await browse.getByRole('button', { name: 'Pull into the local store' }).click();
    await expect.poll(() => browse.locator('[data-pull-result]').textContent()).toContain('Pulled: 0 new, 0 refreshed, 1 unchanged');
    await browse.scrollIntoViewIfNeeded();
    await session.browser.screenshotThemes(page, 'cloud-browse-pulled');
    const remoteId = (await rows.first().getAttribute('data-remote-trajectory')) ?? '';
    await rows.first().getByRole('button', { name: `Open replay (${localId})` }).click();
    await page.locator('.event-list').waitFor();
    await expect.poll(() => page.locator('.replay-header [data-status]').getAttribute('data-status')).toBe('completed');
    // Every event of the remote trajectory, replayed from the local store.
    const remoteEvents = ((await remoteGet(`/db/trajectory/demo/hello-report/${remoteId}`)).events as unknown[]).length;
    expect(remoteEvents).toBeGreaterThan(10);
    await expect.poll(() => page.locator('.timeline-where').textContent()).toContain(`of ${remoteEvents}`);
    expect(await page.locator('.event-list').textContent()).toContain('write_file /app/results/summary.md');
    await session.browser.screenshotThemes(page, 'cloud-pulled-replay');

    // The Trajectories view marks the run with where it came from: the remote's host, and where it lives there.
    await page.locator('.nav-tabs').getByRole('button', { name: 'Trajectories', exact: true }).click();
    const badge = page.locator('tr', { has: page.locator(`code:text-is("${localId}")`) }).locator('.origin-badge');
    await expect.poll(() => badge.getAttribute('data-origin')).toBe(remote.origin);
    expect(await badge.textContent()).toContain(new URL(remote.origin).host);
    expect(await badge.getAttribute('title')).toBe(`From ${remote.origin}: demo/hello-report, run ${remoteId} there`);
    await session.browser.screenshotThemes(page, 'cloud-origin-badge');

    const remoteRuns = (await remoteGet('/db/trajectories/demo/hello-report?limit=20')) as { trajectories?: unknown[] };
    expect(remoteRuns.trajectories).toHaveLength(1);
    session.browser.assertNoErrors(/401|Unauthorized|token/i);
  }, 300_000);

  it('pointing the app at another remote takes a confirm step and the one-time code jetty serve printed in its terminal', async () => {
    const { local, remote } = session.jetty;
    const page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(local.url);
    await page.locator('.nav-tabs').getByRole('button', { name: 'Cloud', exact: true }).click();
    const connection = page.locator('.cloud-connection');
    await expect.poll(() => connection.getAttribute('data-cloud-state'), { timeout: 15_000 }).toBe('online');
    await connection.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => connection.getAttribute('data-cloud-state')).toBe('signed_out');

    // The same remote under another name is another remote as far as the app knows.
    const other = `http://localhost:${remote.port}`;
    await connection.getByLabel('Base URL').fill(other);
    await connection.getByLabel('Token').fill(remote.token);
    await connection.getByRole('button', { name: 'Sign in' }).click();
    const confirm = page.locator('.cloud-confirm-remote');
    await expect.poll(() => confirm.textContent()).toContain(`Point Jetty at ${other}`);
    await session.browser.screenshotThemes(page, 'cloud-confirm-remote');
    const code = confirm.getByLabel('Code shown in the terminal where jetty serve runs');
    await code.fill('WRONGCODE2');
    await confirm.getByRole('button', { name: 'Use this remote and sign in' }).click();
    await expect.poll(() => connection.locator('.notice-error').textContent()).toMatch(/the confirmation for .* is wrong/);
    expect(await connection.getAttribute('data-cloud-state')).toBe('signed_out');

    const printed = local.output().match(/type this code in Settings → Cloud: (\w+)/);
    expect(printed, local.output()).not.toBeNull();
    await code.fill(printed![1]);
    await confirm.getByRole('button', { name: 'Use this remote and sign in' }).click();
    await expect.poll(() => connection.getAttribute('data-cloud-state')).toBe('online');
    expect(await connection.locator('.cloud-identity code').first().textContent()).toBe(other);
    await page.close();
  });
});
