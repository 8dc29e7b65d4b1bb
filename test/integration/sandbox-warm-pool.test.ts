// The warm pool on real Docker: runs adopt started containers, one-way; nothing of one run
// (files, environment, processes) reaches the next; a run's secrets go with its commands and
// nowhere else; the pool refills only once no run is starting, notices containers removed
// behind its back (`docker rm -f`: what a restart of Docker does to them; dockerd itself is
// not restarted here, other processes share it) and makes them again; a size of 0 turns it
// off and gives today's behaviour. Runs through the runner use the built-in agent and the
// scripted model server.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunGateway } from '../../electron/engine/gateway/run-gateway';
import { createRunner, type Runner } from '../../electron/engine/runs/runner';
import type { SandboxService } from '../../electron/engine/sandbox';
import { openStore, type Store } from '../../electron/engine/store';
import { TEST_BASE_IMAGE, containerExists, createTestSandboxService, removeTestContainers, requireDocker, untilDocker } from '../helpers/docker';
import { payloadsOf } from '../helpers/events';
import { callTools, lastToolResult, startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';

const SECRET_REPORT = path.resolve(__dirname, '../fixtures/runs/demo/secret-report/RUNBOOK.md');
const SECRET = 'sk-pool-7d1e9c3b5a-only-this-run';

let docker: Docker;
const services: SandboxService[] = [];

beforeAll(async () => {
  docker = await requireDocker();
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.close()));
  if (docker) await removeTestContainers(docker);
});

/** Listeners to each service's pool changes (its `onChange`). */
const poolListeners = new Map<SandboxService, Set<() => void>>();

function poolService(size: () => number, idleMs?: number): SandboxService {
  const listeners = new Set<() => void>();
  const service = createTestSandboxService(docker, { warmPool: { size, idleMs, onError: (m) => console.warn(m), onChange: () => listeners.forEach((l) => l()) } });
  poolListeners.set(service, listeners);
  services.push(service);
  return service;
}

/** Resolves with `check()`'s answer once defined: checked at each of Docker's events for `service`'s containers and each change of its pool. */
function untilService<T>(service: SandboxService, check: () => Promise<T | undefined>, what: string): Promise<T> {
  const listeners = poolListeners.get(service)!;
  const wake = (listener: () => void) => (listeners.add(listener), () => void listeners.delete(listener));
  return untilDocker(docker, { type: ['container'], label: [`jetty.instance=${service.instanceId}`] }, check, what, { wake });
}

/** The ids of `service`'s parked containers, as Docker lists them. */
async function parkedIds(service: SandboxService): Promise<string[]> {
  const filters = { label: [`jetty.instance=${service.instanceId}`, 'jetty.pool'], name: ['jetty-parked-'], status: ['running'] };
  return (await docker.listContainers({ filters })).map((c) => c.Id).sort();
}

/** Waits until `service` has `count` parked containers, as Docker and the pool both see them. */
function waitParked(service: SandboxService, count: number, what = `${count} parked containers`): Promise<string[]> {
  return untilService(
    service,
    async () => {
      const ids = await parkedIds(service);
      const pooled = service.poolStatus()?.parked.reduce((n, p) => n + p.count, 0);
      return ids.length === count && pooled === count ? ids : undefined;
    },
    what,
  );
}

/** Waits until Docker no longer has container `id` (removed by the service, in the background). */
const waitRemoved = (service: SandboxService, id: string) =>
  untilService(service, async () => ((await containerExists(docker, id)) ? undefined : true), `container ${id.slice(0, 12)} removed`);

describe('the warm pool', () => {
  it('closes leaving nothing of its own: parked containers, and one of its instance the pool never tracked (a start that raced its close)', async () => {
    const service = poolService(() => 1);
    service.prime({ image: TEST_BASE_IMAGE });
    await untilService(service, async () => ((await parkedIds(service)).length === 1 ? true : undefined), 'one container parked');
    const raced = await docker.createContainer({ Image: TEST_BASE_IMAGE, Cmd: ['sleep', 'infinity'], Labels: { app: 'jetty-desktop', 'jetty.instance': service.instanceId } });
    await raced.start();
    await service.close();
    expect(await docker.listContainers({ all: true, filters: { label: [`jetty.instance=${service.instanceId}`] } })).toEqual([]);
  });

  it('refills only once the run that took from it is past its start, and a run adopts a parked container, one-way', async () => {
    const service = poolService(() => 2);
    const starting = service.runStarting();
    const first = await service.create({ image: TEST_BASE_IMAGE, runId: 'pool-first' });
    expect(first.adopted).toBe(false);
    // Real Docker work while the run is starting: the pool makes nothing meanwhile.
    for (let i = 0; i < 3; i++) expect((await first.exec('echo busy')).stdout).toBe('busy\n');
    expect(await parkedIds(service)).toEqual([]);
    starting();
    const parked = await waitParked(service, 2);

    const adopted = await service.create({ image: TEST_BASE_IMAGE, runId: 'pool-second' });
    expect(adopted.adopted).toBe(true);
    expect(parked).toContain(adopted.id);
    // Renamed for the run (in the background): `docker ps` says which run has it.
    await untilService(service, async () => ((await docker.getContainer(adopted.id).inspect()).Name === '/jetty-run-pool-second' || undefined), 'the adopted container renamed');
    await Promise.all([first.destroy(), adopted.destroy()]);
    const refilled = await waitParked(service, 2, 'the pool refilled');
    expect(refilled).not.toContain(adopted.id);
    expect(await containerExists(docker, adopted.id)).toBe(false);
  });

  it('shows nothing of one run to the next: files, environment, processes', async () => {
    const service = poolService(() => 2);
    await (await service.create({ image: TEST_BASE_IMAGE, runId: 'iso-warm' })).destroy();
    await waitParked(service, 2);

    const a = await service.create({ image: TEST_BASE_IMAGE, runId: 'iso-a', env: { RUN_TOKEN: 'token-of-run-a' } });
    expect(a.adopted).toBe(true);
    await a.putAssets([{ name: 'input-a.txt', content: 'only run a' }]);
    const left = await a.exec(
      'echo "$RUN_TOKEN" > /app/results/token.txt; echo a > /app/leftover.txt; echo a > /tmp/leftover.txt; ' +
        '(RUN_TOKEN=$RUN_TOKEN nohup sleep 1000 >/dev/null 2>&1 &); echo "seen $RUN_TOKEN"',
    );
    expect(left.stdout).toBe('seen token-of-run-a\n');
    await a.destroy();
    await waitParked(service, 2);

    const b = await service.create({ image: TEST_BASE_IMAGE, runId: 'iso-b' });
    expect(b.adopted).toBe(true);
    expect(b.id).not.toBe(a.id);
    const look = await b.exec(
      'ls -A /app /app/assets /app/results /tmp; echo "token=${RUN_TOKEN:-none}"; ' +
        'ps -eo args | grep -c "[s]leep 1000"; grep -rls token-of-run-a /proc/[0-9]*/environ /app /tmp 2>/dev/null | wc -l',
    );
    expect(look.stdout).not.toMatch(/leftover|input-a|token\.txt/);
    expect(look.stdout).toContain('token=none\n');
    expect(look.stdout.trim().split('\n').slice(-2)).toEqual(['0', '0']);
    await b.destroy();
  });

  it('notices parked containers removed behind its back, makes them again, and runs still work', async () => {
    const service = poolService(() => 2);
    await (await service.create({ image: TEST_BASE_IMAGE, runId: 'gone-warm' })).destroy();
    const before = await waitParked(service, 2);
    // What a restart of Docker does to them; dockerd itself is shared with other processes, so it is not restarted here.
    const removeAll = (ids: string[]) => Promise.all(ids.map((id) => docker.getContainer(id).remove({ force: true })));
    await removeAll(before);
    // No run asks: Docker's events alone tell the pool, which makes two new ones.
    const rebuilt = await waitParked(service, 2, 'the pool rebuilt');
    expect(rebuilt.filter((id) => before.includes(id))).toEqual([]);

    // Removed again, and a run right away (before the pool may have heard): it still gets a working container.
    await removeAll(rebuilt);
    const now = await service.create({ image: TEST_BASE_IMAGE, runId: 'gone-now', env: { X: 'y' } });
    expect(rebuilt).not.toContain(now.id);
    expect((await now.exec('echo $X')).stdout).toBe('y\n');
    await now.destroy();
    await waitParked(service, 2, 'the pool rebuilt again');
    const next = await service.create({ image: TEST_BASE_IMAGE, runId: 'gone-next' });
    expect(next.adopted).toBe(true);
    expect((await next.exec('echo ok')).stdout).toBe('ok\n');
    await next.destroy();
  });

  it('never hands a run a container of an image its name no longer points to (rebuilt, retagged)', async () => {
    const repo = `jetty-test-pool-${process.pid}`;
    const image = `${repo}:latest`;
    await docker.getImage(TEST_BASE_IMAGE).tag({ repo, tag: 'latest' });
    try {
      const service = poolService(() => 2);
      const before = await service.ensureImage({ image });
      await (await service.create({ image, imageId: before.id, runId: 'retag-warm' })).destroy();
      const stale = await waitParked(service, 2);
      // The name now points to another image: the base with a marker file.
      const maker = await docker.createContainer({ Image: TEST_BASE_IMAGE, Cmd: ['sh', '-c', 'echo rebuilt > /marker'], Labels: { app: 'jetty-desktop', 'jetty.owner_pid': String(process.pid) } });
      await maker.start();
      await maker.wait();
      await maker.commit({ repo, tag: 'latest' });
      await maker.remove();
      // Docker's tag event reaches the service's cache of image ids in a moment (its own event stream: nothing to wait on from here but its answer).
      await expect.poll(async () => (await service.ensureImage({ image })).id, { timeout: 30_000 }).not.toBe(before.id);
      const after = await service.ensureImage({ image });
      const run = await service.create({ image, imageId: after.id, runId: 'retag-run' });
      expect(run.adopted).toBe(false);
      expect(stale).not.toContain(run.id);
      expect((await run.exec('cat /marker')).stdout).toBe('rebuilt\n');
      await run.destroy();
      // What it keeps warm now runs the new image.
      const fresh = await waitParked(service, 2, 'the pool warmed with the new image');
      expect(fresh.filter((id) => stale.includes(id))).toEqual([]);
      for (const id of fresh) expect((await docker.getContainer(id).inspect()).Image).toBe(after.id);
      await service.close();
    } finally {
      await docker.getImage(image).remove({ force: true }).catch(() => undefined);
    }
  });

  it('shrinks when idle: an image no run asked for lately is no longer kept warm', async () => {
    const service = poolService(() => 1, 6000);
    await (await service.create({ image: TEST_BASE_IMAGE, runId: 'idle-warm' })).destroy();
    const parked = await waitParked(service, 1);
    // No run asks for the image again: 6 s after the last one did, it is dropped with its container.
    await waitParked(service, 0, 'the idle pool to shrink');
    expect(service.poolStatus()?.parked).toEqual([]);
    // Their removal, in the background, ends.
    for (const id of parked) await waitRemoved(service, id);
  });

  it('takes a new size at once: 0 removes what is parked and makes every container for its run, as without a pool', async () => {
    let size = 1;
    const service = poolService(() => size);
    await (await service.create({ image: TEST_BASE_IMAGE, runId: 'size-warm' })).destroy();
    const [parked] = await waitParked(service, 1);
    size = 0;
    service.resizePool();
    await waitParked(service, 0, 'the pool emptied');
    await waitRemoved(service, parked);
    const made = await service.create({ image: TEST_BASE_IMAGE, runId: 'size-off', env: { X: 'z' } });
    expect(made.adopted).toBe(false);
    expect((await docker.getContainer(made.id).inspect()).Config.Labels).toMatchObject({ 'jetty.run_id': 'size-off' });
    expect((await made.exec('echo $X')).stdout).toBe('z\n');
    await made.destroy();
    expect(await parkedIds(service)).toEqual([]);
  });
});

describe('runs on the warm pool', () => {
  let dir: string;
  let store: Store;
  let runner: Runner;
  let service: SandboxService;
  let model: ScriptedModelServer;
  const gateway = createRunGateway();
  /** Called at each run's first model call, while its container is up: what Docker shows then. */
  let duringRun: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-warm-runs-'));
    store = openStore(path.join(dir, 'jetty.db'));
    service = poolService(() => 2);
    // Each run: one command that shows whether it has DEMO_TOKEN (its hash, which the model may see), then finish.
    model = await startScriptedModelServer(async (request) => {
      const turns = request.messages.filter((m) => m.role === 'assistant').length;
      if (turns > 0) return callTools({ name: 'finish', arguments: { summary: lastToolResult(request) ?? '' } });
      await duringRun();
      return callTools({ name: 'bash', arguments: { command: 'echo "token: ${DEMO_TOKEN:-none}"; printf %s "$DEMO_TOKEN" | sha256sum | cut -c1-16' } });
    });
    runner = createRunner({ store, sandboxes: service, artifactsRoot: path.join(dir, 'artifacts'), env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' }, gateway });
  });

  afterAll(async () => {
    await runner?.close();
    await model?.close();
    await gateway.close();
    store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const run = async (secret: string) => {
    const handle = await runner.start({ runbookPath: SECRET_REPORT, params: { topic: 'pool' }, secrets: { DEMO_TOKEN: secret }, image: TEST_BASE_IMAGE, model: 'scripted' });
    const t = await handle.done;
    expect(t.status, t.error ?? '').toBe('completed');
    return t;
  };
  const outputOf = (id: string) =>
    payloadsOf(store.listEvents(id, { limit: 10_000 }), 'command_output')
      .map((p) => p.text)
      .join('');
  /** What every process of a container has in its environment. */
  const environOf = async (id: string) => {
    const exec = await docker.getContainer(id).exec({ Cmd: ['sh', '-c', 'cat /proc/[0-9]*/environ 2>/dev/null | tr "\\0" "\\n"'], AttachStdout: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    await new Promise((resolve) => stream.on('end', resolve));
    return text;
  };

  it("serves a run with secrets from the pool: its commands see them; its container's config, the pool's other container and the next run do not", async () => {
    await run('sk-warming-up-the-pool');
    const parked = await waitParked(service, 2);
    const hash = createHash('sha256').update(SECRET).digest('hex').slice(0, 16);
    const shown: { config: string[]; others: string[] } = { config: [], others: [] };
    duringRun = async () => {
      for (const id of parked) {
        shown.config.push(JSON.stringify((await docker.getContainer(id).inspect()).Config));
        if ((await docker.getContainer(id).inspect()).Name.startsWith('/jetty-parked-')) shown.others.push(await environOf(id));
      }
    };
    const t = await run(SECRET);
    duringRun = async () => undefined;

    expect(t.steps.sandbox.outputs).toMatchObject({ adopted: true });
    expect(parked).toContain(t.steps.sandbox.outputs?.container);
    expect(outputOf(t.id)).toContain('token: [REDACTED:DEMO_TOKEN]');
    expect(outputOf(t.id)).toContain(hash);
    expect(shown.config).toHaveLength(2);
    for (const config of shown.config) expect(config).not.toContain(SECRET);
    expect(shown.others).toHaveLength(1);
    expect(shown.others[0]).not.toContain('DEMO_TOKEN');
    // Every phase of the run is timed in its events.
    const phases = payloadsOf(store.listEvents(t.id, { limit: 10_000 }), 'progress').flatMap((p) => (p.duration_ms !== undefined && p.step ? [p.step] : []));
    expect(phases).toEqual(expect.arrayContaining(['image', 'adopt', 'files_in', 'agent_start', 'first_model_call', 'collect', 'evaluate']));

    await waitParked(service, 2);
    const next = await run('sk-another-run-entirely');
    expect(next.steps.sandbox.outputs).toMatchObject({ adopted: true });
    expect(outputOf(next.id)).toContain('token: [REDACTED:DEMO_TOKEN]');
    expect(outputOf(next.id)).not.toContain(hash);
  });
});
