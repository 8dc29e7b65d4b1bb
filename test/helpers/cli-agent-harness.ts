// The shared set-up of the real-CLI agent integration tests (codex, gemini-cli, claude-code): a
// CLI image, a temp dir with the secret-report fixture written as a runbook for the CLI, a store, a
// sandbox service, one run gateway, and scripted model servers — one per runner — all torn down after.
// Call it inside the `describe`; it registers the beforeAll/afterAll hooks.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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

const SECRET_REPORT = path.resolve(__dirname, '../fixtures/runs/demo/secret-report/RUNBOOK.md');

export interface CliAgentHarnessOptions {
  /** Builds (or finds) the CLI's sandbox image; returns its name. */
  ensureImage: (docker: Docker) => Promise<string>;
  /** What replaces `agent: builtin` in the secret-report fixture's frontmatter. */
  frontmatter: string;
  /** The runner's env for a CLI talking to `server` with `apiKey`. */
  env: (server: ScriptedModelServer, apiKey: string) => Record<string, string>;
  /** The temp dir's prefix, e.g. 'jetty-codex-run-'. */
  tmpPrefix: string;
  /** The key the scripted model servers accept (and the runners' default key). */
  apiKey: string;
  /** The beforeAll timeout (the image may be built from npm). */
  setupTimeoutMs?: number;
}

export interface CliAgentHarness {
  readonly docker: Docker;
  readonly dir: string;
  readonly runbook: string;
  readonly image: string;
  readonly store: Store;
  readonly sandboxes: SandboxService;
  /** A runner whose CLI talks to a scripted model server of its own. */
  runnerFor(script: Script, apiKey?: string): Promise<{ runner: Runner; server: ScriptedModelServer }>;
}

export function cliAgentHarness(options: CliAgentHarnessOptions): CliAgentHarness {
  let docker: Docker;
  let dir: string;
  let runbook: string;
  let image: string;
  let store: Store;
  let sandboxes: SandboxService;
  const servers: ScriptedModelServer[] = [];
  // Every run's model calls go through the gateway (per-run token; the real key stays on the host).
  const gateway = createRunGateway();

  beforeAll(async () => {
    docker = await requireDocker();
    image = await options.ensureImage(docker);
    dir = await mkdtemp(path.join(os.tmpdir(), options.tmpPrefix));
    runbook = path.join(dir, 'runbooks/demo/secret-report/RUNBOOK.md');
    await mkdir(path.dirname(runbook), { recursive: true });
    const text = await readFile(SECRET_REPORT, 'utf8');
    await writeFile(runbook, text.replace('agent: builtin', options.frontmatter));
    store = openStore(path.join(dir, 'jetty.db'));
    sandboxes = createTestSandboxService(docker);
  }, options.setupTimeoutMs ?? 600_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await gateway.close();
    await sandboxes?.close();
    if (docker) await removeTestContainers(docker);
    store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  return {
    get docker() {
      return docker;
    },
    get dir() {
      return dir;
    },
    get runbook() {
      return runbook;
    },
    get image() {
      return image;
    },
    get store() {
      return store;
    },
    get sandboxes() {
      return sandboxes;
    },
    async runnerFor(script, apiKey = options.apiKey) {
      const server = await startScriptedModelServer(script, { apiKey: options.apiKey });
      servers.push(server);
      const env = options.env(server, apiKey);
      return { server, runner: createRunner({ store, sandboxes, artifactsRoot: path.join(dir, 'artifacts'), env, gateway }) };
    },
  };
}
