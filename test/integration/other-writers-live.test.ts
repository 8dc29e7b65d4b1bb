// What another process writes to a data folder, followed live by a running `jetty serve` of
// that folder: `jetty eval` in a terminal (the built CLI, real Docker, the scripted model) while
// the serve's REST follow stream of that evaluation is open. Its trials' model calls wait until
// the stream has said its first word; then the trials end in the CLI's process and the serve's
// stream tells each and the end as they happen there (the serve never ran any of it).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetty, requireBuiltCli, waitFor } from '../helpers/cli';
import { removeTestContainers, requireDocker, TEST_BASE_IMAGE } from '../helpers/docker';
import { evaluationModel, STEADY } from '../helpers/evaluation-model';
import { callJetty, followEvaluation } from '../helpers/evaluation-rest';
import type { Script } from '../helpers/scripted-model-server';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { startJettyServe } from '../helpers/serve';

const EXAMPLES = path.resolve(import.meta.dirname, '../../resources/examples');
const HELLO = path.join(EXAMPLES, 'demo/hello-report/RUNBOOK.md');

describe("another process's writes, followed live", () => {
  let dir: string;
  let model: ScriptedModelServer;
  let release = () => {};
  const answering = new Promise<void>((resolve) => (release = resolve));

  beforeAll(async () => {
    requireBuiltCli();
    await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-other-writers-'));
    const scripted = evaluationModel([]);
    const held: Script = async (request, turn) => {
      await answering;
      return scripted.script(request, turn);
    };
    model = await startScriptedModelServer(held);
  });
  afterAll(async () => {
    release();
    await model?.close();
    await removeTestContainers(await requireDocker());
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a jetty serve follows the evaluation a jetty eval in a terminal runs: each trial and the end, as they happen', async () => {
    const dataDir = path.join(dir, 'data');
    const env = { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test', JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE };
    const served = await startJettyServe(EXAMPLES, { dataDir, env });
    try {
      const cli = jetty(['eval', HELLO, '--data-dir', dataDir, '--repeat', '2', '--model', STEADY, '--concurrency', '2', '--json'], env);
      let id: string | undefined;
      await waitFor(() => id !== undefined, "the terminal's evaluation, stored", 60_000, async () => {
        const { json } = await callJetty(served, 'GET', '/evaluations');
        id = (json.evaluations as { id: string }[])[0]?.id;
      });
      const events = await followEvaluation(served, id!, 120_000, () => release());
      const out = await cli;
      expect(out.code, out.stderr).toBe(0);
      const progress = events.filter((e) => e.event === 'progress').map((e) => (e.data.progress as { ended: number }).ended);
      // The first word before any trial ended (the model was holding them), then the trials ending, then the end.
      expect(progress[0]).toBe(0);
      expect(progress.at(-1)).toBe(2);
      expect(events.at(-1)).toMatchObject({ event: 'end', data: { evaluation: { id, status: 'completed' }, progress: { ended: 2 } } });
    } finally {
      expect(await served.stop()).toBe(0);
    }
  }, 180_000);
});
