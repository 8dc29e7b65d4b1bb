import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { analyzeRunbookFile } from '../runbook';
import type { RemoteCapabilities } from './capabilities';
import type { FolderSnapshot } from './outbox-files';
import { RUNBOOK_FILE } from './outgoing';
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
  /** A runbook's folder as it was when the deploy was made (null: a workflow). */
  folder: FolderSnapshot | null;
  /** What the remote takes (a folder, or RUNBOOK.md alone). */
  capabilities: RemoteCapabilities;
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
  folder: DeployedFolder | null;
  links: { collection: string | null; task: string | null };
}

export interface DeployedFolder {
  files: number;
  bytes: number;
  sent: boolean;
  leftOut: string[];
  note: string | null;
}

/** Refused before anything is sent: required secrets neither configured nor given. */
export class MissingSecretsError extends Error {
  constructor(readonly missing: string[], collection: string) {
    super(`collection '${collection}' lacks the secrets ${missing.join(', ')}: set them (from the local secret store) and deploy again`);
    this.name = 'MissingSecretsError';
  }
}

/**
 * The task document: a workflow as it is; a runbook task names its runbook in its folder
 * (`{runbook: "RUNBOOK.md"}`), and carries its text where the remote takes no folder
 * (*inferred* for Jetty cloud: runs send the text again as the system message).
 */
const taskWorkflow = (source: DeploySource, folderTaken: boolean): Record<string, unknown> =>
  source.kind === 'workflow'
    ? (JSON.parse(source.text) as Record<string, unknown>)
    : folderTaken
      ? { runbook: RUNBOOK_FILE }
      : { runbook: RUNBOOK_FILE, runbook_text: source.text };

/** The folder part of a deploy: sent whole to a remote that takes folders, else what stays behind. */
async function deployFolder(api: RemoteApi, request: DeployRequest): Promise<DeployedFolder | null> {
  const { folder, capabilities } = request;
  if (!folder) return null;
  const summary = { files: folder.files.length, bytes: folder.bytes };
  if (capabilities.runbookFolders) {
    await api.putTaskFolder(request.collection, request.task, folder.archive);
    return { ...summary, sent: true, leftOut: [], note: null };
  }
  const leftOut = folder.files.map((f) => f.path).filter((p) => p !== RUNBOOK_FILE);
  const note = leftOut.length > 0 ? `${api.baseUrl} takes a runbook task as RUNBOOK.md alone (its API has no way to take a folder): ${leftOut.length} file(s) beside it stay behind` : null;
  return { ...summary, sent: false, leftOut, note };
}

/**
 * Deploys a runbook or workflow as a task: preflight (missing secrets set from
 * `secretValues`, else refused), the collection created if needed, a runbook's folder put
 * in place (where the remote takes folders), the task created or updated (a retry that
 * finds it created updates it: never two), input files uploaded.
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

  const folder = await deployFolder(api, request);
  const workflow = taskWorkflow(source, folder?.sent ?? false);
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
    folder,
    links: { collection: webLink(api.baseUrl, collection), task: webLink(api.baseUrl, collection, task) },
  };
}

/** One line for people: "deployed demo/x (task created, collection created, secrets set: K, folder: 4 files, 1 file(s) uploaded)". */
export function deployLine(r: DeployResult): string {
  const folder = r.folder
    ? r.folder.sent
      ? `folder: ${r.folder.files} file${r.folder.files === 1 ? '' : 's'}`
      : r.folder.leftOut.length > 0
        ? `RUNBOOK.md only: ${r.folder.leftOut.length} file(s) of its folder left out (${r.folder.leftOut.slice(0, 5).join(', ')}${r.folder.leftOut.length > 5 ? ', …' : ''})`
        : null
    : null;
  const notes = [
    r.taskCreated ? 'task created' : 'task updated',
    r.collectionCreated && 'collection created',
    r.secretsSet.length > 0 && `secrets set: ${r.secretsSet.join(', ')}`,
    folder,
    r.uploaded.length > 0 && `${r.uploaded.length} file(s) uploaded`,
  ];
  return `deployed ${r.collection}/${r.task} (${notes.filter(Boolean).join(', ')})`;
}
