// The set-up of the real-CLI agent integration tests (codex, gemini-cli, claude-code): the
// shared run harness (run-harness.ts) with the secret-report fixture written as a runbook for
// the CLI, and runners whose CLI talks to a scripted model server accepting one key.
// Call it inside the `describe`; it registers the beforeAll/afterAll hooks.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import type { Runner } from '../../electron/engine/runs/runner';
import { runHarness, type RunHarness } from './run-harness';
import type { Script, ScriptedModelServer } from './scripted-model-server';

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

export interface CliAgentHarness extends Omit<RunHarness, 'runnerFor'> {
  /** A runner whose CLI talks to a scripted model server of its own, with `apiKey` (default: the one the server accepts). */
  runnerFor(script: Script, apiKey?: string): Promise<{ runner: Runner; server: ScriptedModelServer }>;
}

export function cliAgentHarness(options: CliAgentHarnessOptions): CliAgentHarness {
  const h = runHarness({
    ensureImage: options.ensureImage,
    tmpPrefix: options.tmpPrefix,
    setupTimeoutMs: options.setupTimeoutMs,
    async writeRunbook(dir) {
      const runbook = path.join(dir, 'runbooks/demo/secret-report/RUNBOOK.md');
      await mkdir(path.dirname(runbook), { recursive: true });
      await writeFile(runbook, (await readFile(SECRET_REPORT, 'utf8')).replace('agent: builtin', options.frontmatter));
      return runbook;
    },
  });
  const runnerFor = h.runnerFor;
  return Object.assign(h, {
    runnerFor: (script: Script, apiKey = options.apiKey) => runnerFor(script, { apiKey: options.apiKey, env: (server) => options.env(server, apiKey) }),
  });
}
