/** An engine with its local server on 127.0.0.1 over a fresh data dir, models answered by a scripted model server. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createEngine, type Engine, type EngineOptions } from '../../electron/engine/api';
import { createLocalServer, type LocalServer } from '../../electron/engine/server/local-server';
import { startScriptedModelServer, type Script, type ScriptedModelServer, type ScriptedModelServerOptions } from './scripted-model-server';

const run = promisify(execFile);

/** A parsed JSON answer, read field by field in assertions (a failed read fails the test). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the one loose type of these tests
export type Json = any;

export interface WorkflowApi {
  engine: Engine;
  server: LocalServer;
  model: ScriptedModelServer;
  base: string;
  token: string;
  dataDir: string;
  /** Runs the real curl binary with the token; returns status and parsed JSON. */
  curl(args: string[]): Promise<{ status: number; json: Json; text: string }>;
  /** POSTs JSON. */
  post(pathname: string, body: unknown): Promise<{ status: number; json: Json; text: string }>;
  /** A workflow task created in collection `wf`, then run-sync with init params. */
  runSync(task: string, workflow: unknown, initParams?: Record<string, unknown>): Promise<{ status: number; json: Json; text: string }>;
  close(): Promise<void>;
}

/** Every provider the passthrough knows (OpenAI, Gemini, Replicate) pointed at the scripted server. */
export const scriptedProviderEnv = (model: ScriptedModelServer): Record<string, string> => ({
  OPENAI_BASE_URL: model.url,
  OPENAI_API_KEY: 'sk-test',
  GOOGLE_GEMINI_BASE_URL: model.url.replace(/\/v1$/, ''),
  GEMINI_API_KEY: 'gemini-test',
  REPLICATE_API_BASE_URL: model.url.replace(/\/v1$/, ''),
  REPLICATE_API_TOKEN: 'r8_test',
});

/** The scripted server's origin, which engines in tests trust for provider output downloads (it is on loopback, over http). */
export const scriptedOrigin = (model: ScriptedModelServer): string => new URL(model.url).origin;

export interface WorkflowApiOptions {
  dataDir?: string;
  model?: ScriptedModelServerOptions;
  env?: Record<string, string>;
  /** Download origins the engine trusts; default the scripted server's own (its Replicate files), `[]` for the engine's default (public https only). */
  trustedDownloadOrigins?: (model: ScriptedModelServer) => string[];
  workflowLimits?: EngineOptions['workflowLimits'];
  /** Other engine options (a routine clock, webhook bounds). */
  engine?: Partial<EngineOptions>;
}

export async function startWorkflowApi(script: Script, options: WorkflowApiOptions = {}): Promise<WorkflowApi> {
  const token = 'workflow-test-token';
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'jetty-wf-'));
  const model = await startScriptedModelServer(script, options.model);
  const engine = await createEngine({
    dataDir,
    env: { ...scriptedProviderEnv(model), ...options.env },
    trustedDownloadOrigins: (options.trustedDownloadOrigins ?? ((m) => [scriptedOrigin(m)]))(model),
    workflowLimits: options.workflowLimits,
    ...options.engine,
  });
  const server = await createLocalServer({ engine, token, staticDir: null, routes: engine.routes });
  const base = `${server.origin}/api/v1`;
  const curl = async (args: string[]) => {
    const { stdout } = await run('curl', ['-s', '-w', '\n%{http_code}', '-H', `Authorization: Bearer ${token}`, ...args], { maxBuffer: 64 * 1024 * 1024 });
    const cut = stdout.lastIndexOf('\n');
    const text = stdout.slice(0, cut);
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: Number(stdout.slice(cut + 1)), json, text };
  };
  /** Large values go to curl through a file (an argument list is bounded); small ones inline. */
  let bodies = 0;
  const spill = (text: string): string | null => {
    if (text.length < 64 * 1024) return null;
    const file = path.join(dataDir, `.curl-body-${++bodies}`);
    writeFileSync(file, text);
    return file;
  };
  const post = (pathname: string, body: unknown) => {
    const json = JSON.stringify(body);
    const file = spill(json);
    return curl(['-X', 'POST', '-H', 'Content-Type: application/json', `${base}${pathname}`, '--data-binary', file ? `@${file}` : json]);
  };
  let collection = false;
  return {
    engine,
    server,
    model,
    base,
    token,
    dataDir,
    curl,
    post,
    async runSync(task, workflow, initParams = {}) {
      if (!collection) collection = (await post('/collections/', { name: 'wf' })).status === 201;
      const created = await post('/tasks/wf', { name: task, workflow });
      if (created.status !== 201) throw new Error(`creating ${task} failed: ${created.text}`);
      const params = JSON.stringify(initParams);
      const file = spill(params);
      return curl(['-X', 'POST', '-F', file ? `init_params=<${file}` : `init_params=${params}`, `${base}/run-sync/wf/${task}`]);
    },
    async close() {
      await server.close();
      await engine.close();
      await model.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
