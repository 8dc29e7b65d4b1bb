import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ImageNameSchema, type Workspace } from '../../../../shared/contract';
import { NameSchema } from '../../../../shared/names';
import type { Trajectory } from '../../../../shared/trajectory';
import type { StorageService } from '../../storage';
import { RunPreparationError } from '../../runs/prepare';
import type { Store } from '../../store';
import type { DraftUploads } from '../../uploads/draft-uploads';
import { InvalidWorkflowError, isWorkflowDocument, type WorkflowRuntime } from '../../workflows';
import { runbookPathCheck } from '../../workspace/runbook-roots';
import { analyzeRunbookFile } from '../../runbook';
import { WebhookUrlSchema } from '../../../../shared/routines';
import type { WebhookService } from '../../webhooks/delivery';
import type { Route } from '../router';
import type { CatalogView } from './catalog-view';
import { parseJsonInput } from '../../http/json-input';
import { filesRoot } from './files-root';
import { incomingDir } from './files';
import { HttpError, rest, validate } from './http';
import { readMultipart } from './multipart';
import type { LocalRuns } from './run-events';
import { allEvents, withTrajectoryId } from './trajectories';

function jsonObjectField(fields: Record<string, string>, name: string): Record<string, unknown> {
  const raw = fields[name];
  if (raw === undefined || raw.trim() === '') return {};
  let value: unknown;
  try {
    value = parseJsonInput(raw);
  } catch (error) {
    throw new HttpError(422, `${name}: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(422, `${name}: must be a JSON object`);
  return value as Record<string, unknown>;
}

interface RunForm {
  initParams: Record<string, unknown>;
  secretParams: Record<string, unknown>;
  files: string[];
  /** The run's sandbox image (form field `image`), over its collection's, Settings' and the runbook's. */
  image: string | undefined;
  /** Where the run's end is POSTed (form fields `webhook_url`, `webhook_secret`). */
  webhook: { url: string; secret: string | null } | null;
}

/** The multipart fields of POST /run and /run-sync. */
const RUN_FORM = ['init_params', 'secret_params', 'files', 'image', 'webhook_url', 'webhook_secret'];

const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const textValues = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, asText(v)]));

/** What a run of a task is given, by any door that starts one (REST's run routes, a routine's firing). */
export interface TaskRunInput {
  initParams: Record<string, unknown>;
  secretParams: Record<string, unknown>;
  files?: string[];
  image?: string;
  /** The run's id, chosen by the caller (a routine claims its slot with it first). */
  trajectoryId?: string;
}

export interface TaskRunDeps {
  store: Store;
  dataDir: string;
  catalog: CatalogView;
  runs: LocalRuns;
  workspaces: () => Promise<Workspace[]>;
  workflows: WorkflowRuntime;
  storage: StorageService;
  uploads: DraftUploads;
}

/**
 * Starting a run of a task, as POST /run does it: a workflow task through the workflow
 * engine, a runbook task (a folder's, or one deployed here) as a local run whose runbook and
 * input files are kept for Re-run and whose inputs go to the collection's storage. Refusals
 * are HttpErrors (404 no task, 422 what the request must fix).
 */
export function taskRuns(deps: TaskRunDeps) {
  const readableRunbook = runbookPathCheck(deps.workspaces, deps.dataDir);
  const find = async (c: string, t: string) => {
    const task = await deps.catalog.task(validate(NameSchema, c, 'collection'), validate(NameSchema, t, 'task'));
    if (!task) throw new HttpError(404, `no task '${t}' in collection '${c}'`);
    return task;
  };
  return {
    /** A task's kind and parameter names (a workflow's init_params, a runbook's declared parameters); null when there is none. */
    async describe(c: string, t: string): Promise<{ kind: 'runbook' | 'workflow'; params: string[] } | null> {
      const task = await find(c, t).catch((error: unknown) => (error instanceof HttpError && error.status === 404 ? null : Promise.reject(error)));
      if (!task) return null;
      if (isWorkflowDocument(task.workflow)) return { kind: 'workflow', params: Object.keys((task.workflow.init_params as Record<string, unknown> | undefined) ?? {}) };
      const analysis = await analyzeRunbookFile(await readableRunbook(await deps.catalog.runbookFile(task)));
      return { kind: 'runbook', params: analysis.parameters.map((p) => p.name) };
    },
    async start(c: string, t: string, form: TaskRunInput): Promise<{ id: string; done: Promise<Trajectory> }> {
      const task = await find(c, t);
      const files = form.files ?? [];
      if (isWorkflowDocument(task.workflow)) {
        if (form.image) throw new HttpError(422, `image: task '${t}' is a workflow; a sandbox image applies to a runbook task's run`);
        try {
          return deps.workflows.start({ collection: c, task: t, document: task.workflow, init_params: form.initParams, files, id: form.trajectoryId });
        } catch (error) {
          if (error instanceof InvalidWorkflowError) throw new HttpError(422, `task '${t}': ${error.message}`);
          throw error;
        }
      }
      // A folder runbook, or a task deployed here: its runbook in its deployed folder, which the run's working directory then holds.
      const runbook = await readableRunbook(await deps.catalog.runbookFile(task)).catch((error: Error) => {
        throw new HttpError(422, `task '${t}': ${error.message}`);
      });
      const handle = await deps.runs
        .start({
          runbookPath: runbook,
          collection: c,
          task: t,
          params: textValues(form.initParams),
          files,
          secrets: textValues(form.secretParams),
          image: form.image,
          door: 'rest',
          trajectoryId: form.trajectoryId,
        })
        .catch((error: unknown) => {
          // What the run lacks (parameters, secrets, files) is the request's to fix, listed as the other doors list it.
          if (error instanceof RunPreparationError) throw new HttpError(422, error.message);
          throw error;
        });
      // Its runbook and input files are kept for Re-run as a UI run's are (the files as uploads).
      await deps.uploads.remember(handle.id, { runbookPath: runbook, files: await Promise.all(files.map((f) => deps.uploads.adopt(f))) });
      // The run's inputs go to the collection's backend too, once the run has ended (the sandbox copies them in first).
      for (const file of files) await deps.storage.enqueueInput(c, path.relative(filesRoot(deps.dataDir), file).split(path.sep).join('/'), handle.id);
      return handle;
    },
  };
}
export type TaskRuns = ReturnType<typeof taskRuns>;

/** `/run/{c}/{t}`, `/run-sync/{c}/{t}` (multipart, as the cloud) and `/workflows-logs/{id}`. */
export function runRoutes(deps: TaskRunDeps & { webhooks: Pick<WebhookService, 'attach'> }): Route[] {
  const tasks = taskRuns(deps);
  /** Reads the run form (init_params, secret_params, files kept with the run's uploads) and hands it to `use`. */
  async function withForm<T>(c: string, req: Parameters<Route['handle']>[0]['req'], use: (form: RunForm) => Promise<T>): Promise<T> {
    const form = await readMultipart(req, incomingDir(deps.dataDir));
    try {
      const initParams = jsonObjectField(form.fields, 'init_params');
      const secretParams = jsonObjectField(form.fields, 'secret_params');
      const image = form.fields.image?.trim() ? validate(ImageNameSchema, form.fields.image.trim(), 'image') : undefined;
      const webhookUrl = form.fields.webhook_url?.trim() ? validate(WebhookUrlSchema, form.fields.webhook_url.trim(), 'webhook_url') : null;
      const webhook = webhookUrl ? { url: webhookUrl, secret: form.fields.webhook_secret || null } : null;
      // Input files are kept with the run's uploads so the sandbox can copy them in.
      const inputsDir = path.join(filesRoot(deps.dataDir), c, 'run-inputs', path.basename(form.tempDir));
      await mkdir(inputsDir, { recursive: true });
      const files: string[] = [];
      for (const f of form.files.filter((x) => x.field === 'files' || x.field === 'file')) {
        const dest = path.join(inputsDir, f.filename);
        await rename(f.tempPath, dest);
        files.push(dest);
      }
      return await use({ initParams, secretParams, files, image, webhook });
    } finally {
      await rm(form.tempDir, { recursive: true, force: true });
    }
  }
  const start = (c: string, t: string, req: Parameters<Route['handle']>[0]['req']) =>
    withForm(c, req, async (form) => {
      const handle = await tasks.start(c, t, form);
      // The run's end is POSTed from the durable queue, never by the run (webhooks/delivery.ts).
      if (form.webhook) deps.webhooks.attach(handle.id, form.webhook.url, form.webhook.secret ? { value: form.webhook.secret } : null);
      return handle;
    });
  const started = (id: string, c: string, t: string) => ({ workflow_id: id, trajectory_id: id, collection: c, task: t, status: 'running' });
  return [
    rest('POST', '/run/:c/:t', async ({ params, req }) => started((await start(params.c, params.t, req)).id, params.c, params.t), { doc: { summary: 'Start a run of a task; answers its workflow_id at once', form: RUN_FORM } }),
    rest('POST', '/run-sync/:c/:t', async ({ params, req }) => {
      const handle = await start(params.c, params.t, req);
      const trajectory = await handle.done;
      const answer = withTrajectoryId(trajectory);
      // The evaluation beside the status (a completed run whose evaluation failed is no success); its report stays in `trajectory`.
      const { report: _report, ...evaluation } = answer.evaluation ?? {};
      return {
        ...started(handle.id, params.c, params.t),
        status: trajectory.status,
        error: trajectory.error ?? null,
        evaluation: answer.evaluation ? evaluation : null,
        evaluation_verdict: answer.evaluation_verdict,
        trajectory: answer,
      };
    }, { doc: { summary: 'Run a task and wait for its end: status, evaluation and trajectory', form: RUN_FORM } }),
    rest('GET', '/workflows-logs/:id', async ({ params }) => {
      const t = deps.store.getTrajectory(params.id);
      if (!t) throw new HttpError(404, `no workflow '${params.id}'`);
      return { workflow_id: t.id, trajectory_id: t.id, status: t.status, logs: allEvents(deps.store, t.id) };
    }),
  ];
}
