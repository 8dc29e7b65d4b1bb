// A run's end does not wait for its container's removal: the status is written and `done`
// resolves while the removal is still under way (held back here at the Docker client), and
// the runner's close() waits for it, so nothing is left behind. Real Docker, the built-in
// agent on the test base image, the scripted model server.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunGateway } from '../../electron/engine/gateway/run-gateway';
import { createRunner } from '../../electron/engine/runs/runner';
import type { SandboxService } from '../../electron/engine/sandbox';
import { openStore, type Store } from '../../electron/engine/store';
import { holdContainerRemovals } from '../helpers/docker-calls';
import { TEST_BASE_IMAGE, containerExists, createTestSandboxService, removeTestContainers, requireDocker } from '../helpers/docker';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { NAMED_SCRIPTS } from '../helpers/scripted-model-scripts';

const HELLO = path.resolve(__dirname, '../../resources/examples/demo/hello-report/RUNBOOK.md');

describe("a run's teardown", () => {
  let docker: Docker;
  let dir: string;
  let store: Store;
  let sandboxes: SandboxService;
  let model: ScriptedModelServer;
  const gateway = createRunGateway();
  const holds: ReturnType<typeof holdContainerRemovals>[] = [];

  beforeAll(async () => {
    docker = await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-run-teardown-'));
    store = openStore(path.join(dir, 'jetty.db'));
    model = await startScriptedModelServer(NAMED_SCRIPTS['hello-report']);
  });

  afterAll(async () => {
    for (const hold of holds) hold.release();
    await model?.close();
    await gateway.close();
    await sandboxes?.close();
    if (docker) await removeTestContainers(docker);
    store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('ends the run before its container is removed; close() waits for the removal and no container of the run remains', async () => {
    const removals = holdContainerRemovals(docker);
    holds.push(removals);
    sandboxes = createTestSandboxService(docker);
    const runner = createRunner({
      store,
      sandboxes,
      artifactsRoot: path.join(dir, 'artifacts'),
      env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' },
      gateway,
    });
    const run = await runner.start({ runbookPath: HELLO, image: TEST_BASE_IMAGE, model: 'scripted' });
    const ofRun = { all: true, filters: { label: [`jetty.run_id=${run.id}`] } };

    // With the removal held back, the old code's `done` waited for it: this await never returned.
    const t = await run.done;
    expect(t.status, t.error ?? '').toBe('completed');
    expect(store.getTrajectory(run.id)?.status).toBe('completed');
    await removals.held;
    expect(await docker.listContainers(ofRun)).toHaveLength(1);

    let closed = false;
    const closing = runner.close().then(() => (closed = true));
    // A real round trip to the daemon while the removal is held: close() must still be waiting.
    expect(await docker.listContainers(ofRun)).toHaveLength(1);
    expect(closed).toBe(false);
    removals.release();
    await closing;
    expect(await docker.listContainers(ofRun)).toEqual([]);
  }, 90_000);

  it("the sandbox service's close() waits for a removal under way", async () => {
    const removals = holdContainerRemovals(docker);
    holds.push(removals);
    const service = createTestSandboxService(docker);
    const sandbox = await service.create({ image: TEST_BASE_IMAGE, runId: 'teardown-service-close' });
    void sandbox.destroy();
    await removals.held;
    let closed = false;
    const closing = service.close().then(() => (closed = true));
    expect(await containerExists(docker, sandbox.id)).toBe(true);
    expect(closed).toBe(false);
    removals.release();
    await closing;
    expect(await containerExists(docker, sandbox.id)).toBe(false);
  }, 60_000);
});
