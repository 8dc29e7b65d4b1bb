// A remote run with files from the browser (the local `jetty serve`'s Cloud view, a second
// real `jetty serve` as the remote, real Docker, the built-in agent against the scripted
// model): the file parameter is uploaded from the page (an upload id, never a host path),
// the plan shows the agent, model and image the local plan decides and the folder going
// with the run, and the remote sandbox has the runbook's script in its working directory
// and the file in /app/assets. Then a deploy carries the folder, and the remote's own UI
// lists the deployed task.
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_BASE_IMAGE } from '../helpers/docker';
import { FOLDER_FILES, HELLO_LINE, REFERENCE, folderRunbookScript, writeFolderRunbook } from '../helpers/folder-runbook';
import { freePort } from '../helpers/free-port';
import { useJettyWithBrowser } from '../helpers/jetty-with-browser';
import { startJettyServe, type ServedJetty } from '../helpers/serve';
import { signInToRemote, startLocalAndRemote } from './local-and-remote';

const NOTES = 'notes from the browser: a pelican, a bicycle';

// The remote names no image of its own: its runs use the one the local plan names.
const session = useJettyWithBrowser(() =>
  startLocalAndRemote({ name: 'remote-files', script: folderRunbookScript, writeRunbooks: async (folder) => void (await writeFolderRunbook(folder)), remoteEnv: { JETTY_SANDBOX_IMAGE: '' }, localEnv: { JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE } }),
);
const remoteGet = (p: string) => session.jetty.remoteGet(p);

describe('a remote run with files from the Cloud view', () => {
  it('uploads the file parameter, shows the plan, runs it on the remote with the runbook’s folder, and follows it to completion', async () => {
    const { local, remote } = session.jetty;
    const page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(local.url);
    await signInToRemote(page, remote);

    const push = page.locator('.cloud-push');
    await push.getByLabel('Runbook to push').selectOption({ label: 'acme/folder-report' });
    const run = push.locator('.cloud-run');
    const plan = run.locator('.cloud-remote-plan');
    // Without its file the plan refuses the run, saying which parameter needs one.
    await expect.poll(() => plan.locator('.plan-problem').textContent(), { timeout: 15_000 }).toContain('parameter Notes (notes) needs a file');
    expect(await run.getByRole('button', { name: 'Run remotely' }).isDisabled()).toBe(true);

    // The page uploads the bytes (POST /api/v1/uploads) and names the upload: no host path leaves the browser.
    await run.locator('[data-param="notes"]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from(NOTES) });
    await expect.poll(() => run.locator('[data-param-files="notes"] .file-chip').getAttribute('data-file')).toBe('notes.txt');
    await expect.poll(() => plan.getAttribute('data-problems')).toBe('0');
    await plan.locator('[data-plan-file="notes.txt"]').waitFor();
    expect(await plan.locator('[data-plan="agent"] .plan-value').textContent()).toBe('builtin');
    expect(await plan.locator('[data-plan="model"] .plan-value').textContent()).toBe('scripted-model');
    expect(await plan.locator('[data-plan="image"] .plan-value').textContent()).toBe(TEST_BASE_IMAGE);
    expect(await plan.locator('[data-plan="folder"]').getAttribute('data-sent')).toBe('true');
    expect(await plan.locator('[data-plan="folder"] .plan-value').textContent()).toContain(`${FOLDER_FILES.length} files`);
    await plan.scrollIntoViewIfNeeded();
    await session.browser.screenshotThemes(page, 'cloud-remote-plan-files');

    await run.getByRole('button', { name: 'Run remotely' }).click();
    const followed = run.locator('.cloud-followed');
    await expect.poll(() => followed.locator('.run-status [data-status]').getAttribute('data-status'), { timeout: 180_000 }).toBe('completed');
    await expect.poll(() => followed.locator('.log-view').textContent()).toContain(HELLO_LINE);
    await followed.scrollIntoViewIfNeeded();
    await session.browser.screenshotThemes(page, 'cloud-remote-run-files');

    // On the remote: the plan's agent and model, the script found in the working directory, the file in /app/assets.
    const list = (await remoteGet('/db/trajectories/acme/folder-report?limit=5')) as { trajectories: { trajectory_id: string }[] };
    expect(list.trajectories).toHaveLength(1);
    const t = await remoteGet(`/db/trajectory/acme/folder-report/${list.trajectories[0].trajectory_id}`);
    expect({ status: t.status, agent: t.agent, model: t.model }).toEqual({ status: 'completed', agent: 'builtin', model: 'scripted-model' });
    const output = JSON.stringify(t.events);
    expect(output).toContain(`${HELLO_LINE}: /app`);
    expect(output).toContain(`drawn from: ${REFERENCE}; notes: ${NOTES}`);
    session.browser.assertNoErrors(/401|Unauthorized|token/i);
    await page.close();
  }, 300_000);

  it('deploys the runbook with its folder, and the remote’s own runbook list shows the deployed task', async () => {
    const { local, remote } = session.jetty;
    const page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(local.url);
    await page.locator('.nav-tabs').getByRole('button', { name: 'Cloud', exact: true }).click();
    const push = page.locator('.cloud-push');
    await push.getByLabel('Runbook to push').selectOption({ label: 'acme/folder-report' });
    await push.getByRole('button', { name: 'Check secrets' }).click();
    await push.getByRole('button', { name: 'Deploy', exact: true }).click();
    await expect.poll(() => push.locator('[data-deploy-result]').textContent()).toContain(`Deployed acme/folder-report (task created, folder: ${FOLDER_FILES.length} files)`);

    const remotePage = await session.browser.newPage({ colorScheme: 'light' });
    await remotePage.goto(remote.url);
    const deployed = remotePage.locator('[data-workspace-kind="deployed"]');
    await expect.poll(() => deployed.locator('.workspace-folder').textContent(), { timeout: 15_000 }).toBe('Deployed to this Jetty');
    await expect.poll(() => deployed.locator('[data-runbook="folder-report"]').count()).toBe(1);
    await session.browser.screenshotThemes(remotePage, 'remote-deployed-runbooks');
    await remotePage.close();
    await page.close();
  }, 120_000);

  it('deploys while the remote is down: the deploy waits in the outbox, its secret check deferred, and is delivered with its folder once the remote is up', async () => {
    const { dir } = session.jetty;
    const port = await freePort();
    const token = `mlc_${'o'.repeat(32)}`;
    const local = await startJettyServe(path.join(dir, 'runbooks'), { timeoutMs: 60_000, env: { HOME: path.join(dir, 'offline-home'), JETTY_API_URL: `http://127.0.0.1:${port}`, JETTY_CLOUD_TOKEN: token } });
    let later: ServedJetty | null = null;
    try {
      const page = await session.browser.newPage({ colorScheme: 'light' });
      await page.goto(local.url);
      await page.locator('.nav-tabs').getByRole('button', { name: 'Cloud', exact: true }).click();
      const push = page.locator('.cloud-push');
      await push.getByLabel('Runbook to push').selectOption({ label: 'acme/folder-report' });
      await push.getByRole('button', { name: 'Check secrets' }).click();
      // The secret check needs the remote: it is deferred to delivery, and the deploy can still be made.
      await push.locator('.cloud-deferred').waitFor();
      await push.getByRole('button', { name: 'Deploy when the remote is back' }).click();
      await expect.poll(() => push.locator('[data-deploy-result]').textContent()).toMatch(/^Queued in the outbox \(#1\)/);
      const outbox = page.locator('.cloud-outbox');
      await expect.poll(() => outbox.locator('[data-outbox-seq="1"]').getAttribute('data-state')).toBe('pending');
      await session.browser.screenshotThemes(page, 'cloud-offline-deploy-queued');

      // The remote comes up where the app points: the outbox delivers on its own, and shows what came of it.
      later = await startJettyServe(await mkdtemp(path.join(dir, 'later-')), { timeoutMs: 60_000, port, token });
      await expect.poll(() => outbox.locator('[data-delivered-seq="1"] [data-outcome]').textContent(), { timeout: 90_000 }).toBe(`deployed acme/folder-report (task created, collection created, folder: ${FOLDER_FILES.length} files)`);
      expect(await outbox.locator('[data-outbox-seq]').count()).toBe(0);
      await session.browser.screenshotThemes(page, 'cloud-offline-deploy-delivered');
      const listed = (await (await fetch(`${later.origin}/api/v1/tasks/acme/folder-report/folder`, { headers: { authorization: `Bearer ${token}` } })).json()) as { files: { path: string }[] };
      expect(listed.files.map((f) => f.path)).toEqual(FOLDER_FILES);
      await page.close();
    } finally {
      expect(await local.stop()).toBe(0);
      await later?.stop();
    }
  }, 180_000);
});
