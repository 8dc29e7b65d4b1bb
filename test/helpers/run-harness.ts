// The set-up the agent integration tests share: a sandbox image, a temp dir holding the test's
// runbook, a store, a sandbox service, one run gateway, and runners each talking to a scripted
// model server of their own — all torn down after. Call it inside the `describe`; it registers
// the beforeAll/afterAll hooks, and fills the harness's fields in beforeAll.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll } from 'vitest';
import { createRunGateway } from '../../electron/engine/gateway/run-gateway';
import { createRunner, type Runner } from '../../electron/engine/runs/runner';
import type { SandboxService } from '../../electron/engine/sandbox';
import { openStore, type Store } from '../../electron/engine/store';
import { createTestSandboxService, removeTestContainers, requireDocker } from './docker';
import { startScriptedModelServer, type Script, type ScriptedModelServer } from './scripted-model-server';

export interface RunHarnessOptions {
  /** Builds (or finds) the sandbox image; returns its name. */
  ensureImage: (docker: Docker) => Promise<string>;
  /** The temp dir's prefix, e.g. 'jetty-codex-run-'. */
  tmpPrefix: string;
  /** Writes the test's runbook (and its folder) under `dir`; returns its path. */
  writeRunbook: (dir: string) => Promise<string>;
  /** The beforeAll timeout (the image may be built from npm). */
  setupTimeoutMs?: number;
}

export interface RunHarness {
  docker: Docker;
  dir: string;
  runbook: string;
  image: string;
  store: Store;
  sandboxes: SandboxService;
  /**
   * A runner over the harness's store, sandboxes and gateway (every run's model calls go
   * through it: a per-run token, the real key stays on the host), whose agent talks to a
   * scripted model server of its own; both closed after.
   */
  runnerFor(script: Script, options: { apiKey?: string; env: (server: ScriptedModelServer) => Record<string, string> }): Promise<{ runner: Runner; server: ScriptedModelServer }>;
  /** Something of the test's to close at teardown, before the harness's own, in the order registered. */
  onTeardown(close: () => unknown): void;
}

export function runHarness(options: RunHarnessOptions): RunHarness {
  const closers: (() => unknown)[] = [];
  const gateway = createRunGateway();
  const h = {
    onTeardown: (close) => void closers.push(close),
    async runnerFor(script, { apiKey, env }) {
      const server = await startScriptedModelServer(script, apiKey ? { apiKey } : {});
      const runner = createRunner({ store: h.store, sandboxes: h.sandboxes, artifactsRoot: path.join(h.dir, 'artifacts'), env: env(server), gateway });
      closers.push(() => runner.close(), () => server.close());
      return { runner, server };
    },
  } as RunHarness;

  beforeAll(async () => {
    h.docker = await requireDocker();
    h.image = await options.ensureImage(h.docker);
    h.dir = await mkdtemp(path.join(os.tmpdir(), options.tmpPrefix));
    h.runbook = await options.writeRunbook(h.dir);
    h.store = openStore(path.join(h.dir, 'jetty.db'));
    h.sandboxes = createTestSandboxService(h.docker);
  }, options.setupTimeoutMs ?? 600_000);

  afterAll(async () => {
    for (const close of closers) await close();
    await gateway.close();
    await h.sandboxes?.close();
    if (h.docker) await removeTestContainers(h.docker);
    h.store?.close();
    if (h.dir) await rm(h.dir, { recursive: true, force: true });
  });
  return h;
}
