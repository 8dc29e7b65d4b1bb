import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { analyzeRunbookFile } from '../runbook';
import { RemoteError } from './remote-error';
import type { RemoteApi } from './remote-api';
import { webLink } from './web-links';

/** What a runbook (or workflow document) declares and would send. */
export interface DeploySource {
  kind: 'runbook' | 'workflow';
  file: string;
  text: string;
  /** The secrets the runbook's frontmatter requires (names only). */
  secrets: string[];
  /** The task name when none is given: the runbook's folder, or the workflow file's name. */
  defaultTask: string;
}

export async function readDeploySource(file: string): Promise<DeploySource> {
  const text = await readFile(file, 'utf8');
  if (file.endsWith('.json')) {
    return { kind: 'workflow', file, text, secrets: [], defaultTask: path.basename(file, '.json') };
  }
  const analysis = await analyzeRunbookFile(file, text);
  const secrets = analysis.secrets.filter((s) => s.required).map((s) => s.env ?? s.name);
  return { kind: 'runbook', file, text, secrets: [...new Set(secrets)].sort(), defaultTask: path.basename(path.dirname(path.resolve(file))) };
}

export interface Preflight {
  collection: string;
  /** False when the collection does not exist yet (deploy creates it). */
  collectionExists: boolean;
  required: string[];
  configured: string[];
  missing: string[];
}

/** The seed's secret preflight: the runbook's declared secrets against the collection's environment keys. */
export async function preflight(api: RemoteApi, collection: string, source: DeploySource): Promise<Preflight> {
  const exists = (await api.collectionOrNull(collection)) !== null;
  const keys = new Set(exists ? await api.environmentKeys(collection) : []);
  return {
    collection,
    collectionExists: exists,
    required: source.secrets,
    configured: source.secrets.filter((s) => keys.has(s)),
    missing: source.secrets.filter((s) => !keys.has(s)),
  };
}

export interface DeployRequest {
  source: DeploySource;
  collection: string;
  task: string;
  /** Input files uploaded with the task. */
  files: readonly string[];
  /** Missing secrets to set now, with their values (from the local vault; never logged or stored). */
  secretValues: Record<string, string>;
  idempotencyKey: string;
}

export interface DeployResult {
  collection: string;
  task: string;
  collectionCreated: boolean;
  taskCreated: boolean;
  secretsSet: string[];
  uploaded: string[];
  links: { collection: string | null; task: string | null };
}

/** Refused before anything is sent: required secrets neither configured nor given. */
export class MissingSecretsError extends Error {
  constructor(readonly missing: string[], collection: string) {
    super(`collection '${collection}' lacks the secrets ${missing.join(', ')}: set them (from the local secret store) and deploy again`);
    this.name = 'MissingSecretsError';
  }
}

const taskWorkflow = (source: DeploySource): Record<string, unknown> =>
  source.kind === 'workflow'
    ? (JSON.parse(source.text) as Record<string, unknown>)
    : // *inferred*: a runbook task carries its text; runs send it again as the system message.
      { runbook: path.basename(source.file), runbook_text: source.text };

/**
 * Deploys a runbook or workflow as a task: preflight (missing secrets set from
 * `secretValues`, else refused), the collection created if needed, the task created or
 * updated (a retry that finds it created updates it: never two), input files uploaded.
 */
export async function deploy(api: RemoteApi, request: DeployRequest): Promise<DeployResult> {
  const { source, collection, task } = request;
  const check = await preflight(api, collection, source);
  const unset = check.missing.filter((name) => !(name in request.secretValues));
  if (unset.length > 0) throw new MissingSecretsError(unset, collection);

  let collectionCreated = false;
  if (!check.collectionExists) {
    try {
      await api.createCollection(collection);
      collectionCreated = true;
    } catch (error) {
      if (!(error instanceof RemoteError && error.status === 409)) throw error;
    }
  }
  const toSet = Object.fromEntries(check.missing.map((name) => [name, request.secretValues[name]]));
  if (check.missing.length > 0) await api.patchEnvironment(collection, toSet);

  const workflow = taskWorkflow(source);
  const description = source.kind === 'runbook' ? `Runbook ${path.basename(source.file)} deployed from Jetty Desktop` : 'Workflow deployed from Jetty Desktop';
  let taskCreated = false;
  if (await api.taskOrNull(collection, task)) await api.updateTask(collection, task, { workflow, description });
  else {
    try {
      await api.createTask(collection, { name: task, description, workflow }, request.idempotencyKey);
      taskCreated = true;
    } catch (error) {
      if (!(error instanceof RemoteError && error.status === 409)) throw error;
      await api.updateTask(collection, task, { workflow, description });
    }
  }
  const uploaded: string[] = [];
  for (const file of request.files) uploaded.push(await api.upload(collection, file));
  return {
    collection,
    task,
    collectionCreated,
    taskCreated,
    secretsSet: check.missing,
    uploaded,
    links: { collection: webLink(api.baseUrl, collection), task: webLink(api.baseUrl, collection, task) },
  };
}
