import path from 'node:path';
import { z } from 'zod';
import type { Trajectory, TrajectoryEvent } from '../../../../shared/trajectory';
import { CLI_KEY_HEADER, CLI_RUNS_ROUTE } from '../../base/serve-file';
import { assembleRun } from '../../runs/assemble-run';
import { RunPreparationError } from '../../runs/prepare';
import type { RunHandle } from '../../runs/runner';
import type { RunOrder, RunRequest } from '../../runs/run-request';
import { openStoredRunSources } from '../../runs/stored-run-sources';
import { secretMatcher } from '../security';
import { HttpError, readJson, rest } from './http';
import { startFollowing } from './run-events';

const absolute = z.string().min(1).max(4096).refine((p) => path.isAbsolute(p), 'must be an absolute path');
const texts = z.record(z.string().max(256), z.string().max(1024 * 1024));

/** What `jetty run` hands over: its order (paths made absolute) and its environment, from which the run is assembled as it would be there. */
export const CliRunSchema = z.object({
  order: z
    .object({
      runbookPath: absolute,
      params: texts.optional(),
      files: z.array(absolute).max(1000).optional(),
      secrets: texts.optional(),
      agent: z.string().max(256).optional(),
      model: z.string().max(256).optional(),
      baseURL: z.string().max(4096).optional(),
      image: z.string().max(512).optional(),
      network: z.union([z.boolean(), z.literal('gateway')]).optional(),
      timeoutMs: z.number().positive().max(7 * 24 * 3600_000).optional(),
      maxTurns: z.number().int().positive().max(100_000).optional(),
    })
    .strict(),
  env: texts,
});

/** A line of the answer: the run's id, each of its events, then its end (or its refusal). */
export type CliRunLine =
  | { type: 'trajectory'; id: string }
  | { type: 'event'; event: TrajectoryEvent }
  | { type: 'result'; trajectory: Trajectory }
  | { type: 'refused'; message: string; problems: string[] };

export interface CliRunDeps {
  /** The serve file's key. */
  key: string;
  dataDir: string;
  /** This process's environment: a CLI reaching another Docker runs on its own. */
  env: NodeJS.ProcessEnv;
  start(request: RunRequest): Promise<RunHandle>;
  onEvent(listener: (trajectoryId: string, event: TrajectoryEvent) => void): () => void;
}

/** What decides which Docker a run's sandbox is in: a CLI whose differ is not served here. */
const DOCKER_VARIABLES = ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY'];

/**
 * `jetty run` through a running `jetty serve` of the same data folder (its warm sandboxes):
 * the run is assembled here from the CLI's order and environment exactly as the CLI would
 * assemble it, run by this engine, and its events stream back as JSON lines until its end.
 * Only a caller holding the serve file's key (a reader of this user's data folder) may hand
 * over host paths and an environment; a browser holding the API token may not. The run is
 * cancelled when the CLI goes away, as killing a one-shot `jetty run` ends its run.
 */
export function cliRunRoutes(deps: CliRunDeps) {
  const keyMatches = secretMatcher(deps.key);
  const live = new Map<string, RunHandle>();
  const authorized = (header: string | string[] | undefined) => {
    if (typeof header !== 'string' || !keyMatches(header)) throw new HttpError(403, `a run from this machine's jetty CLI needs the ${CLI_KEY_HEADER} of this serve's serve.json`);
  };
  return [
    rest(
      'POST',
      CLI_RUNS_ROUTE,
      async (ctx) => {
        authorized(ctx.req.headers[CLI_KEY_HEADER]);
        const { order, env } = await readJson(ctx, CliRunSchema);
        const other = DOCKER_VARIABLES.find((name) => (env[name] ?? '') !== (deps.env[name] ?? ''));
        if (other) throw new HttpError(409, `this serve uses another Docker (${other} differs): the run goes on in the CLI`);
        const { res } = ctx;
        const write = (line: CliRunLine, status = 200) => {
          if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
          res.write(`${JSON.stringify(line)}\n`);
        };
        let handle: RunHandle;
        try {
          const runs = {
            // The id goes first: the run's events that came while it started follow it.
            start: async (o: RunOrder) => {
              const started = await deps.start({ ...assembleRun(o, openStoredRunSources(deps.dataDir, env)), env });
              write({ type: 'trajectory', id: started.id });
              return started;
            },
            onEvent: deps.onEvent,
          };
          handle = await startFollowing(runs, { ...order, door: 'cli' }, (event) => write({ type: 'event', event }));
        } catch (error) {
          if (!(error instanceof RunPreparationError)) throw error;
          write({ type: 'refused', message: error.message, problems: error.problems }, 422);
          res.end();
          return;
        }
        live.set(handle.id, handle);
        const gone = () => !res.writableEnded && handle.cancel();
        res.on('close', gone);
        // Gone already while the run started: cancelled now, as it would have been.
        if (res.destroyed || ctx.req.socket.destroyed) gone();
        try {
          const trajectory = await handle.done;
          write({ type: 'result', trajectory });
          res.end();
        } finally {
          res.off('close', gone);
          live.delete(handle.id);
        }
      },
      { maxBodyBytes: 4 * 1024 * 1024, doc: { summary: "Internal: runs `jetty run`'s order here (needs the x-jetty-cli-key of serve.json); the run's events as JSON lines" } },
    ),
    rest(
      'POST',
      `${CLI_RUNS_ROUTE}/:id/cancel`,
      async ({ req, params }) => {
        authorized(req.headers[CLI_KEY_HEADER]);
        const handle = live.get(params.id);
        if (!handle) throw new HttpError(404, `no run ${params.id} from the CLI is running here`);
        handle.cancel();
        return { cancelled: true };
      },
      { doc: { summary: 'Internal: cancels a run `jetty run` handed over' } },
    ),
  ];
}
