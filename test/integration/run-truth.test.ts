// Issue 15: a run records every substitution of the runbook's choices as a warning, runs
// despite lint errors only when asked ("Run anyway", recorded), checks the output table as a
// contract, and a failed run carries its error without "no evaluation" noise.
import { messageOf } from '../helpers/events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunPreparationError } from '../../electron/engine/runs/prepare';
import { createRunner } from '../../electron/engine/runs/runner';
import type { SandboxService } from '../../electron/engine/sandbox';
import { openStore, type Store } from '../../electron/engine/store';
import { TEST_BASE_IMAGE, createTestSandboxService, removeTestContainers, requireDocker } from '../helpers/docker';
import { fail, startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { helloReportWith } from '../helpers/scripted-model-scripts';

const HELLO = path.resolve(__dirname, '../../resources/examples/demo/hello-report/RUNBOOK.md');

describe('what a run records about its own truth', () => {
  let docker: Docker;
  let dir: string;
  let store: Store;
  let sandboxes: SandboxService;
  let model: ScriptedModelServer;
  const runner = (env: Record<string, string> = {}) =>
    createRunner({ store, sandboxes, artifactsRoot: path.join(dir, 'artifacts'), env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test', ...env } });
  const runbook = async (name: string, edit: (text: string) => string = (t) => t) => {
    const file = path.join(dir, 'runbooks/demo', name, 'RUNBOOK.md');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, edit(await readFile(HELLO, 'utf8')));
    return file;
  };
  const warnings = (id: string) => store.listEvents(id, { limit: 1000 }).filter((e) => e.level === 'warning').map(messageOf);

  beforeAll(async () => {
    docker = await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-run-truth-'));
    store = openStore(path.join(dir, 'jetty.db'));
    sandboxes = createTestSandboxService(docker);
    // hello-report without greeting.txt, a required output file.
    model = await startScriptedModelServer(helloReportWith({ greeting: false }));
  });

  afterAll(async () => {
    await model?.close();
    await sandboxes?.close();
    if (docker) await removeTestContainers(docker);
    store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('records the model and image overrides as warnings, and the required output files it left out', async () => {
    const file = await runbook('hello-report');
    const t = await (await runner({ JETTY_MODEL: 'scripted-model', JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE }).start({ runbookPath: file })).done;
    expect(t.status, t.error ?? '').toBe('completed');
    expect(t.model).toBe('scripted-model');
    const seen = warnings(t.id);
    expect(seen).toContain("model scripted-model instead of the runbook's claude-sonnet-4-6: JETTY_MODEL is set to scripted-model");
    expect(seen).toContain(`image ${TEST_BASE_IMAGE} instead of the runbook's snapshot python312-uv: JETTY_SANDBOX_IMAGE is set to ${TEST_BASE_IMAGE}`);
    // The scripted model writes summary.md and validation_report.json, not greeting.txt.
    expect(seen).toContain('required output files missing: greeting.txt');
    expect(t.steps.evaluate.outputs).toMatchObject({ missing_outputs: ['greeting.txt'] });
    // Completed, but its evaluation failed: the report passed, a required output is missing.
    expect(t.evaluation).toMatchObject({ overall_passed: false, pass: 1, fail: 0, missing_outputs: ['greeting.txt'], report: { overall_passed: true } });
  }, 120_000);

  it('refuses a runbook with lint errors, and runs it when asked to run anyway, saying so', async () => {
    const file = await runbook('broken-report', (t) => t.replace('Write a greeting for {{name}}', 'Write a greeting for {{name}} in {{language}}'));
    const refused = await runner()
      .start({ runbookPath: file, image: TEST_BASE_IMAGE, model: 'scripted-model', params: { language: 'fr' } })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RunPreparationError);
    expect((refused as Error).message).toMatch(/has 1 lint error\(s\):\n {2}- \d+:\d+ RB010 variable 'language' is used but not declared/);
    expect((refused as Error).message).not.toContain('jetty lint');

    const t = await (await runner().start({ runbookPath: file, image: TEST_BASE_IMAGE, model: 'scripted-model', params: { language: 'fr' }, runAnyway: true })).done;
    expect(t.status, t.error ?? '').toBe('completed');
    expect(warnings(t.id).find((w) => w.startsWith('Run anyway'))).toMatch(/^Run anyway: started despite 1 lint error\(s\): \d+:\d+ RB010 variable 'language'/);
  }, 120_000);

  it('a failed run shows its error without "no validation_report.json" noise', async () => {
    const failing = await startScriptedModelServer([fail(400, { message: 'model refused the request' })]);
    try {
      const file = await runbook('hello-report');
      const r = createRunner({ store, sandboxes, artifactsRoot: path.join(dir, 'artifacts'), env: { OPENAI_BASE_URL: failing.url, OPENAI_API_KEY: 'sk-test' } });
      const t = await (await r.start({ runbookPath: file, image: TEST_BASE_IMAGE, model: 'scripted-model' })).done;
      expect(t.status).toBe('failed');
      expect(t.error).toMatch(/model refused the request|400/);
      const events = store.listEvents(t.id, { limit: 1000 });
      expect(events.filter((e) => JSON.stringify(e.payload).includes('no validation_report.json'))).toEqual([]);
      expect(warnings(t.id).filter((w) => w.includes('required output files missing'))).toEqual([]);
    } finally {
      await failing.close();
    }
  }, 120_000);
});
