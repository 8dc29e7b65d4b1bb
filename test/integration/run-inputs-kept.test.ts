// A run's input files are kept for Re-run whichever door started it (REST /run-sync as the UI's
// run.start), and drafts no run kept go after a day — never one a starting run is taking.
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/api';
import { createLocalServer, type LocalServer } from '../../electron/engine/server/local-server';
import { DRAFT_MAX_AGE_MS, removeStaleDrafts, staleUploads } from '../../electron/engine/uploads/draft-expiry';
import { draftUploads } from '../../electron/engine/uploads/draft-uploads';
import { REPO } from '../helpers/cli';
import { TEST_BASE_IMAGE, removeTestContainers, requireDocker } from '../helpers/docker';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { NAMED_SCRIPTS } from '../helpers/scripted-model-scripts';

const TOKEN = 'run-inputs-kept-token';
const KEY = 'sk-run-inputs-kept';
const DAY = 24 * 60 * 60 * 1000;

/** Makes an upload folder look made (or last taken) `ageMs` ago. */
async function age(dataDir: string, id: string, ageMs: number): Promise<void> {
  const then = new Date(Date.now() - ageMs);
  await utimes(path.join(dataDir, 'uploads', id), then, then);
}

describe('run inputs kept for Re-run, and draft uploads expiring', () => {
  let dir: string;
  let dataDir: string;
  let runbook: string;
  let model: ScriptedModelServer;
  let engine: Engine;
  let server: LocalServer;

  beforeAll(async () => {
    await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-run-inputs-kept-'));
    dataDir = path.join(dir, 'data');
    runbook = path.join(dir, 'runbooks/acme/hello/RUNBOOK.md');
    await cp(path.join(REPO, 'resources/examples/demo/hello-report/RUNBOOK.md'), runbook);
    model = await startScriptedModelServer(NAMED_SCRIPTS['hello-report'], { apiKey: KEY });
    engine = await createEngine({ dataDir, folders: [path.join(dir, 'runbooks')], env: { OPENAI_BASE_URL: model.url, JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE } });
    server = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: engine.routes });
    await engine.api['secrets.set']({ name: 'OPENAI_API_KEY', value: KEY });
    await engine.api['settings.update']({ modelBaseUrl: model.url, defaultModel: 'scripted', defaultAgent: 'builtin' });
  });
  afterAll(async () => {
    await server?.close();
    await engine?.close();
    await model?.close();
    await removeTestContainers(await requireDocker());
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a REST /run-sync with a file: run.inputs returns the runbook and the file, kept as an upload no sweep removes', async () => {
    const form = new FormData();
    form.set('init_params', JSON.stringify({ name: 'Ada', notes: '/app/assets/notes.txt' }));
    form.append('files', new Blob(['notes sent over REST\n']), 'notes.txt');
    const res = await fetch(`${server.origin}/api/v1/run-sync/acme/hello`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
    const body = (await res.json()) as { trajectory_id: string; status: string; error: string | null };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.status, body.error ?? '').toBe('completed');

    const inputs = await engine.api['run.inputs']({ trajectoryId: body.trajectory_id });
    expect(inputs.runbookPath).toBe(runbook);
    expect(inputs.files).toEqual([{ id: expect.stringMatching(/^[0-9a-f]{16}$/), name: 'notes.txt', size: 21 }]);
    expect(await readFile(path.join(dataDir, 'uploads', inputs.files[0].id, 'notes.txt'), 'utf8')).toBe('notes sent over REST\n');
    // Re-run matches a parameter's /app/assets/<name> to the kept file of that name.
    expect(engine.services.store.getTrajectory(body.trajectory_id)!.init_params).toMatchObject({ name: 'Ada', notes: `/app/assets/${inputs.files[0].name}` });
    // Kept, not a draft: a sweep a month on leaves it.
    await age(dataDir, inputs.files[0].id, 30 * DAY);
    const uploads = draftUploads(dataDir);
    const cutoff = Date.now() - DRAFT_MAX_AGE_MS;
    expect(await removeStaleDrafts(uploads, await staleUploads(uploads, cutoff), cutoff)).toEqual([]);
  }, 180_000);

  it("a draft a day old that the UI's run.start takes between a sweep's listing and its removal is kept, and the run has it", async () => {
    const res = await fetch(`${server.origin}/api/v1/uploads?name=old.txt`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: 'an old draft\n' });
    const { id } = (await res.json()) as { id: string };
    await age(dataDir, id, 2 * DAY);
    const uploads = draftUploads(dataDir);
    const cutoff = Date.now() - DRAFT_MAX_AGE_MS;
    const listed = await staleUploads(uploads, cutoff);
    expect(listed).toContain(id);

    const { trajectoryId } = await engine.api['run.start']({ runbookPath: runbook, params: { name: 'Grace', notes: '/app/assets/old.txt' }, uploads: [id] });
    expect(await removeStaleDrafts(uploads, listed, cutoff)).not.toContain(id);
    const t = await engine.services.runner.get(trajectoryId)!.done;
    expect(t.status, t.error ?? '').toBe('completed');
    expect((await engine.api['run.inputs']({ trajectoryId })).files).toEqual([{ id, name: 'old.txt', size: 13 }]);
  }, 180_000);

  it('the engine removes drafts older than a day when it starts, and keeps fresh ones', async () => {
    const other = path.join(dir, 'other-data');
    for (const [id, ageMs] of [
      ['0000000000000001', 2 * DAY],
      ['0000000000000002', DAY / 2],
    ] as const) {
      await mkdir(path.join(other, 'uploads', id), { recursive: true });
      await writeFile(path.join(other, 'uploads', id, 'draft.txt'), 'draft');
      await age(other, id, ageMs);
    }
    const started = await createEngine({ dataDir: other, folders: [], env: {} });
    await started.close(); // waits for the start-up sweep
    expect([existsSync(path.join(other, 'uploads', '0000000000000001')), existsSync(path.join(other, 'uploads', '0000000000000002'))]).toEqual([false, true]);
  });
});
