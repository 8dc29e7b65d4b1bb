/**
 * The rest of Jetty's trajectory surface: ingest a run made elsewhere
 * (`POST /trajectories/{c}/{t}/ingest`, idempotent by its id, scores as `score.<name>`
 * labels), download a trajectory with its artifacts as one streamed zip
 * (`GET /trajectory/{c}/{t}/{id}/download`), and a collection's datasets and models.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { NameSchema } from '../../../../shared/names';
import { TrajectoryStatusSchema, type Trajectory } from '../../../../shared/trajectory';
import type { StorageService } from '../../storage';
import type { Store } from '../../store';
import { exportChunks } from '../../trajectories/export-stream';
import { MAX_ZIP32_BYTES, MAX_ZIP_ENTRIES, zipWriter } from '../../trajectories/zip-stream';
import type { Route } from '../router';
import { artifactsRoot, filesRoot } from './files-root';
import { HttpError, rest, restWithBody, validate } from './http';

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
/** An external run, as Jetty cloud's ingest takes it. */
export const IngestSchema = z.object({
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  status: TrajectoryStatusSchema.default('completed'),
  scores: z.record(z.string().min(1).max(200), z.number()).optional(),
  labels: z.record(z.string().min(1).max(256), Scalar).optional(),
  cost_usd: z.number().nonnegative().optional(),
  /** Pushed again with the same id, the run is overwritten (its header, steps and labels). */
  trajectory_id: z.string().min(1).max(200).optional(),
  source: z.string().max(200).optional(),
  eval_id: z.string().max(200).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  author: z.string().min(1).max(256).optional(),
  created: z.iso.datetime({ offset: true }).optional(),
  completed: z.iso.datetime({ offset: true }).optional(),
});
type Ingest = z.infer<typeof IngestSchema>;

/** Room for an ingested run's input and output. */
const MAX_INGEST_BYTES = 8 * 1024 * 1024;
const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v ?? null, null, 2));

/** The local id of an ingested run: its own when it is one of ours, else one derived from (collection, task, id), so a re-push finds it. */
export const ingestedId = (c: string, t: string, id: string) => (/^[0-9a-f]{8}$/.test(id) ? id : createHash('sha256').update(`ingest:${c}/${t}/${id}`).digest('hex').slice(0, 8));

/** The labels an ingest sets: its labels, `score.<name>` per score, `cost_est_usd`. */
function ingestLabels(body: Ingest): [string, string][] {
  return [
    ...Object.entries(body.labels ?? {}).map(([k, v]): [string, string] => [k, String(v)]),
    ...Object.entries(body.scores ?? {}).map(([k, v]): [string, string] => [`score.${k}`, String(v)]),
    ...(body.cost_usd !== undefined ? [['cost_est_usd', String(body.cost_usd)] as [string, string]] : []),
  ];
}

function ingest(store: Store, c: string, t: string, body: Ingest): Trajectory {
  const id = body.trajectory_id ? ingestedId(c, t, body.trajectory_id) : store.freshTrajectoryId();
  const author = body.author ?? body.source ?? 'ingest';
  const created = body.created ?? new Date().toISOString();
  const ended = body.status === 'pending' || body.status === 'running' ? null : (body.completed ?? created);
  const step = { status: body.status, inputs: { input: body.input ?? null }, outputs: { output: body.output ?? null, eval_id: body.eval_id ?? null, source: body.source ?? null }, started_at: created, ended_at: ended };
  const existing = store.getTrajectory(id);
  if (existing && (existing.collection !== c || existing.task !== t)) throw new HttpError(409, `trajectory ${id} belongs to ${existing.collection}/${existing.task}`);
  if (!existing) {
    store.importTrajectory({
      format_version: 2,
      id,
      collection: c,
      task: t,
      kind: 'runbook',
      status: body.status,
      error: null,
      init_params: body.metadata ?? {},
      agent: body.source ?? null,
      model: null,
      created_at: created,
      started_at: created,
      ended_at: ended,
      usage: body.cost_usd !== undefined ? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cost_usd: body.cost_usd } : null,
      evaluation: null,
      steps: { ingest: step },
      labels: [],
      artifacts: [],
      events: [
        { seq: 1, time: created, level: 'info', step: 'ingest', type: 'message', payload: { role: 'user', text: text(body.input) } },
        { seq: 2, time: ended ?? created, level: 'info', step: 'ingest', type: 'message', payload: { role: 'assistant', text: text(body.output) } },
      ],
    });
  } else {
    // A re-push overwrites what it carries: the status and end, the ingest step (input, output), its labels.
    store.updateTrajectory(id, { status: body.status, ended_at: ended });
    store.updateStep(id, 'ingest', step);
  }
  for (const [key, value] of ingestLabels(body)) {
    store.removeLabel(id, key);
    store.addLabel(id, { key, value, author });
  }
  return store.getTrajectory(id)!;
}

/** A trajectory's artifacts, each from its local copy or else its storage backend; null for one in neither. */
async function artifactSource(dataDir: string, storage: StorageService, id: string, artifact: string): Promise<Readable | null> {
  const root = await realpath(path.join(artifactsRoot(dataDir), id)).catch(() => null);
  const file = root && (await realpath(path.join(root, artifact)).catch(() => null));
  if (root && file && file.startsWith(root + path.sep)) return createReadStream(file);
  return (await storage.openUploaded(id, artifact))?.stream ?? null;
}

/** A collection's datasets: each entry of its `datasets/` folder among the uploaded files. */
async function datasets(dataDir: string, c: string) {
  const dir = path.join(filesRoot(dataDir), c, 'datasets');
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return Promise.all(
    entries
      .filter((e) => e.isFile() || e.isDirectory())
      .sort((a, b) => a.name.localeCompare(b.name))
      .slice(0, 1000)
      .map(async (e) => {
        const files = e.isFile() ? [e.name] : (await readdir(path.join(dir, e.name), { recursive: true })).slice(0, 10_000);
        const size = e.isFile() ? (await stat(path.join(dir, e.name))).size : null;
        return {
          name: e.name,
          description: e.isFile() ? `a file of ${size} bytes` : `a folder of ${files.length} entries`,
          storage_path: `${c}/datasets/${e.name}`,
          files: e.isFile() ? 1 : files.length,
        };
      }),
  );
}

export function interopRoutes(deps: { store: Store; storage: StorageService; dataDir: string; defaultModel: () => string }): Route[] {
  const { store } = deps;
  const names = (p: Record<string, string>) => [validate(NameSchema, p.c, 'collection'), validate(NameSchema, p.t, 'task')] as const;
  return [
    restWithBody(
      'POST',
      '/trajectories/:c/:t/ingest',
      IngestSchema,
      async ({ params }, body) => {
        const [c, t] = names(params);
        const ingested = ingest(store, c, t, body);
        return { trajectory_id: ingested.id, name: t, storage_path: `${c}/${t}/${ingested.id}`, status: ingested.status, labels: ingested.labels };
      },
      { status: 201, maxBodyBytes: MAX_INGEST_BYTES, doc: { summary: 'Ingest a run made elsewhere: idempotent by trajectory_id (a re-push overwrites), scores as score.<name> labels, cost_usd as cost_est_usd' } },
    ),
    rest(
      'GET',
      '/trajectory/:c/:t/:id/download',
      async ({ params, res }) => {
        const [c, t] = names(params);
        const found = store.getTrajectory(params.id);
        if (!found || found.collection !== c || found.task !== t) throw new HttpError(404, `no trajectory '${params.id}' in ${c}/${t}`);
        const total = found.artifacts.reduce((n, a) => n + a.size, 0);
        if (total > MAX_ZIP32_BYTES || found.artifacts.length + 2 > MAX_ZIP_ENTRIES) {
          throw new HttpError(413, `trajectory ${found.id} has ${found.artifacts.length} artifacts of ${total} bytes, past what one download holds; fetch them one by one (GET /file/artifacts/${found.id}/…)`);
        }
        res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Disposition': `attachment; filename="${c}-${t}-${found.id}.zip"` });
        const zip = zipWriter(res);
        await zip.add('trajectory.json', Readable.from(exportChunks(store, found.id)));
        const missing: string[] = [];
        for (const artifact of found.artifacts) {
          const source = await artifactSource(deps.dataDir, deps.storage, found.id, artifact.path);
          if (source) await zip.add(`artifacts/${artifact.path}`, source);
          else missing.push(artifact.path);
        }
        if (missing.length) await zip.add('MISSING.txt', Buffer.from(`Artifacts whose files are in neither this data folder nor its storage:\n${missing.join('\n')}\n`));
        await zip.finish();
      },
      { doc: { summary: 'A trajectory (trajectory.json, its export) with its artifacts (artifacts/…) as one zip, streamed' } },
    ),
    rest('GET', '/datasets/:c', async ({ params }) => datasets(deps.dataDir, validate(NameSchema, params.c, 'collection')), {
      doc: { summary: "A collection's datasets: the entries of its datasets/ folder among its files (upload with POST /files/{c}/upload, path datasets/…)" },
    }),
    rest(
      'GET',
      '/models/:c',
      async ({ params }) => {
        const c = validate(NameSchema, params.c, 'collection');
        const used = new Map<string, number>();
        for (let page = 1, more = true; more && page <= 50; page++) {
          const list = store.listTrajectories({ collection: c, limit: 200, page });
          for (const t of list.trajectories) if (t.model) used.set(t.model, (used.get(t.model) ?? 0) + 1);
          more = list.has_more;
        }
        const fallback = deps.defaultModel();
        if (fallback && !used.has(fallback)) used.set(fallback, 0);
        return [...used].map(([name, runs]) => ({ name, description: runs ? `used by ${runs} run${runs === 1 ? '' : 's'} of ${c}` : 'the default model (Settings)', runs }));
      },
      { doc: { summary: "A collection's models (GET /models/{c}/ with its slash too): those its runs used, and the default one" } },
    ),
  ];
}
