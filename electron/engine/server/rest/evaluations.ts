import { z } from 'zod';
import { EVALUATION_LIMITS, EvaluationCaseSchema, EvaluationCellSchema, EvaluationConcurrencySchema, EvaluationIdSchema, EVALUATION_ID_PATTERN, type EvaluationReport } from '../../../../shared/evaluations';
import { NameSchema } from '../../../../shared/names';
import { compareEvaluations, ctrfReport, evaluationReport, EvaluationRequestError, junitXml, listSummaries, SuggestionError, type EvaluationService, type SuggestionService } from '../../evaluations';
import type { Store } from '../../store';
import { isWorkflowDocument } from '../../workflows';
import { runbookPathCheck } from '../../workspace/runbook-roots';
import type { Route } from '../router';
import type { CatalogView } from './catalog-view';
import { HttpError, readJson, rest, validate } from './http';
import type { Workspace } from '../../../../shared/contract';

/** What the HTTP API needs of evaluations: the service, and a way to hear that one changed. */
export interface EvaluationDoor {
  service: EvaluationService;
  /** Every evaluation's changes; returns the unsubscribe function. */
  onChange(listener: (id: string) => void): () => void;
  /** "Suggest fixes" (absent: its routes answer 404). */
  suggestions?: SuggestionService;
}

const Params = z.record(z.string().min(1).max(128), z.string().max(64 * 1024));

/** `POST /evaluations/{c}/{t}`: the evaluation of a runbook task, in the API's snake case. */
const StartBody = z.object({
  name: z.string().min(1).max(200).optional(),
  cells: z.array(EvaluationCellSchema).min(1).max(EVALUATION_LIMITS.cells),
  trials: z.number().int().min(1).max(EVALUATION_LIMITS.trialsPerCell),
  concurrency: EvaluationConcurrencySchema.partial().optional(),
  params: Params.optional(),
  cases: z.union([z.literal('examples'), z.array(EvaluationCaseSchema).min(1).max(EVALUATION_LIMITS.cases)]).optional(),
  timeout_seconds: z.number().int().positive().max(86_400).optional(),
});

/** A follow stream ends on its own after this long (the client follows again); bounds an idle connection. */
const FOLLOW_MS = 6 * 3600_000;
const HEARTBEAT_MS = 15_000;

/** The evaluation routes whose paths a task's also fits take an evaluation id only. */
const AN_ID = { id: EVALUATION_ID_PATTERN };

/** What a follow stream sends on each change: the report without its trials (a long evaluation's list is read once, at the end). */
const progressOf = (report: EvaluationReport) => ({ evaluation: report.evaluation, progress: report.progress, cells: report.cells, rule: report.rule });

/**
 * Evaluations over REST: start one of a runbook task (`POST /evaluations/{c}/{t}`), list them,
 * read one (figures per cell and every trial), follow one live (server-sent events until it
 * ends), cancel, re-run failures, compare two, and its JUnit XML and CTRF JSON.
 */
export function evaluationRoutes(deps: { store: Store; dataDir: string; catalog: CatalogView; workspaces: () => Promise<Workspace[]>; evaluations?: EvaluationDoor }): Route[] {
  const door = deps.evaluations;
  if (!door) return [];
  const readable = runbookPathCheck(deps.workspaces, deps.dataDir);
  const stored = () => deps.store.evaluations();
  const id = (raw: string) => validate(EvaluationIdSchema, raw, 'id');
  const report = (raw: string) => evaluationReport(stored(), id(raw));
  const refused = (error: unknown): never => {
    if (error instanceof EvaluationRequestError) throw new HttpError(422, error.message);
    if (error instanceof SuggestionError) throw new HttpError(error.code === 'conflict' ? 409 : 422, error.message);
    throw error;
  };
  const suggestions = () => {
    if (!door.suggestions) throw new HttpError(404, 'suggestions are not available here');
    return door.suggestions;
  };
  return [
    rest('GET', '/evaluations', async ({ url }) => {
      const collection = url.searchParams.get('collection') ?? undefined;
      const task = url.searchParams.get('task') ?? undefined;
      const limit = Math.min(200, Math.max(1, Number(url.searchParams.get('limit') ?? 50) || 50));
      return { evaluations: listSummaries(stored(), { collection, task, limit }) };
    }),
    rest('GET', '/evaluations/:id', async ({ params }) => report(params.id)),
    rest('GET', '/evaluations/:id/follow', async ({ params, req, res }) => {
      const evaluationId = id(params.id);
      stored().require(evaluationId);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      await new Promise<void>((resolve) => {
        const send = () => {
          const current = report(evaluationId);
          res.write(`event: progress\ndata: ${JSON.stringify(progressOf(current))}\n\n`);
          if (current.evaluation.status !== 'running') {
            res.write(`event: end\ndata: ${JSON.stringify(current)}\n\n`);
            stop();
          }
        };
        const off = door.onChange((changed) => changed === evaluationId && send());
        const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
        const deadline = setTimeout(() => stop(), FOLLOW_MS);
        const stop = () => {
          off();
          clearInterval(heartbeat);
          clearTimeout(deadline);
          req.off('close', stop);
          if (!res.writableEnded) res.end();
          resolve();
        };
        req.on('close', stop);
        send();
      });
    }),
    rest(
      'POST',
      '/evaluations/:id/cancel',
      async ({ params }) => {
        const evaluationId = id(params.id);
        stored().require(evaluationId);
        return { cancelled: door.service.cancel(evaluationId) };
      },
      { params: AN_ID },
    ),
    rest('POST', '/evaluations/:id/rerun-failures', async (ctx) => {
      const evaluationId = id(ctx.params.id);
      const { repeats } = await readJson(ctx, z.object({ repeats: z.number().int().min(1).max(EVALUATION_LIMITS.rerunRepeats).default(2) }));
      try {
        return { added: door.service.rerunFailures(evaluationId, repeats).added };
      } catch (error) {
        return refused(error);
      }
    }, { params: AN_ID }),
    // Suggest fixes: the analysis and each edit's evaluation run in the background; GET reads the sets (applying one is a workspace write: the app's door only).
    rest(
      'POST',
      '/evaluations/:id/suggestions',
      async (ctx) => {
        const evaluationId = id(ctx.params.id);
        const { model } = await readJson(ctx, z.object({ model: z.string().min(1).max(256).optional() }));
        const started = await suggestions().suggest(evaluationId, model).catch(refused);
        return suggestions().get(started.set);
      },
      { status: 201, params: AN_ID },
    ),
    rest('GET', '/evaluations/:id/suggestions', async ({ params }) => ({ sets: suggestions().list(id(params.id)) })),
    // `/evaluations/{id}/cancel`, `/rerun-failures` and `/suggestions` fit this route's two segments too: the router gives those paths to the evaluation's routes when the first segment is an evaluation id, here otherwise (a task named `cancel` of a collection named like an id, say `deadbeef`, cannot be evaluated over REST).
    rest(
      'POST',
      '/evaluations/:c/:t',
      async (ctx) => {
        const c = validate(NameSchema, ctx.params.c, 'collection');
        const t = validate(NameSchema, ctx.params.t, 'task');
        const body = await readJson(ctx, StartBody);
        const task = await deps.catalog.task(c, t);
        if (!task) throw new HttpError(404, `no task '${t}' in collection '${c}'`);
        if (isWorkflowDocument(task.workflow)) throw new HttpError(422, `task '${t}' is a workflow: an evaluation runs a runbook`);
        const runbookPath = await readable(await deps.catalog.runbookFile(task)).catch((error: Error) => {
          throw new HttpError(422, `task '${t}': ${error.message}`);
        });
        const { timeout_seconds, ...rest } = body;
        const started = await door.service.start({ ...rest, runbookPath, timeoutSeconds: timeout_seconds }).catch(refused);
        const r = report(started.id);
        return { evaluation_id: started.id, collection: r.evaluation.collection, task: r.evaluation.task, status: r.evaluation.status, total: r.progress.total };
      },
      { status: 201, maxBodyBytes: 1024 * 1024 },
    ),
    rest('GET', '/evaluations/:id/compare/:other', async ({ params }) => compareEvaluations(stored(), id(params.id), id(params.other))),
    rest('GET', '/evaluations/:id/junit', async ({ params, res }) => {
      const xml = junitXml(report(params.id));
      res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8' });
      res.end(xml);
    }),
    rest('GET', '/evaluations/:id/ctrf', async ({ params }) => ctrfReport(report(params.id))),
  ];
}
