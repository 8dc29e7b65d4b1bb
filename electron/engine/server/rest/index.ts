import type { Workspace } from '../../../../shared/contract';
import type { Passthrough } from '../../proxy';
import type { CollectionEnvironment } from '../../secrets/collection-env';
import type { StorageService } from '../../storage';
import type { Store } from '../../store';
import type { WorkflowRuntime } from '../../workflows';
import { gatewayRoutes } from '../model-routes';
import { chatCompletionsRoute } from '../chat-completions';
import { runbookModeHandler } from '../chat-completions-runbook';
import type { Route } from '../router';
import { createCatalogView } from './catalog-view';
import { collectionStorageRoutes } from './collection-storage';
import { collectionRoutes } from './collections';
import { fileRoutes } from './files';
import { withIdempotency } from './idempotency';
import { runRoutes } from './runs';
import type { EngineOperations } from '../../operations';
import type { LocalRuns } from './run-events';
import { catalogRoutes } from './step-templates';
import { taskFolderRoutes } from './task-folders';
import { taskRoutes } from './tasks';
import { trajectoryRoutes } from './trajectories';
import { trialRoutes } from './trial';
import { evaluationRoutes, type EvaluationDoor } from './evaluations';
import { uploadRoutes } from './uploads';
import { routineRoutes } from './routines';
import { interopRoutes } from './interop';
import { rest } from './http';
import type { OtlpStats } from '../../interop/otlp-exporter';
import type { RoutineService } from '../../routines/service';
import type { WebhookService } from '../../webhooks/delivery';
import type { DraftUploads } from '../../uploads/draft-uploads';
import { deployedTasksDir } from '../../workspace/runbook-roots';

export type { LocalRuns } from './run-events';
export { taskRuns, type TaskRuns } from './runs';
export { artifactsRoot, filesRoot } from './files-root';

export interface JettyHttpApiDeps {
  store: Store;
  /** Collections' artifact storage (settings, uploads, reads through the backend). */
  storage: StorageService;
  dataDir: string;
  environment: CollectionEnvironment;
  /** The opened folders (their runbooks are tasks). */
  workspaces: () => Promise<Workspace[]>;
  runs: LocalRuns;
  /** What every door does the same way (stop a run, set statuses, label). */
  operations: EngineOperations;
  passthrough: Passthrough;
  workflows: WorkflowRuntime;
  /** Hosts a chat request's `jetty.runbook_url` may fetch from (the `runbookUrlHosts` setting). */
  runbookUrlHosts: () => readonly string[];
  /** Files uploaded for runs being drafted in the UI (`POST /api/v1/uploads`). */
  uploads: DraftUploads;
  /** A runbook task's folder was deployed here (its folder now lies under `deployedTasksDir`). */
  onDeployed?(): void;
  /** Evaluations (`/api/v1/evaluations…`); none without it. */
  evaluations?: EvaluationDoor;
  /** Scheduled runs (`/routines/…`). */
  routines: RoutineService;
  /** Runs' webhooks and their deliveries. */
  webhooks: WebhookService;
  /** The OpenTelemetry export's counts (null when no collector is set). */
  telemetry: () => OtlpStats | null;
  /** The default model (Settings), listed among a collection's models. */
  defaultModel: () => string;
}

/** Every route of the Jetty-compatible HTTP API: `/v1/chat/completions`, the gateway's other wire APIs and `/v1/models`, and `/api/v1/…`. */
export function jettyHttpRoutes(deps: JettyHttpApiDeps): Route[] {
  const catalog = createCatalogView(deps.store, deps.workspaces, deployedTasksDir(deps.dataDir));
  return withIdempotency([
    chatCompletionsRoute({ passthrough: deps.passthrough, runbookMode: runbookModeHandler({ ...deps, catalog }) }),
    ...gatewayRoutes(deps.passthrough),
    ...catalogRoutes(),
    ...collectionRoutes({ ...deps, catalog }),
    ...collectionStorageRoutes({ ...deps, catalog }),
    ...taskRoutes({ ...deps, catalog }),
    ...taskFolderRoutes({ ...deps, catalog }),
    ...trajectoryRoutes(deps),
    ...runRoutes({ ...deps, catalog }),
    ...fileRoutes({ ...deps, catalog }),
    ...trialRoutes({ catalog }),
    ...uploadRoutes(deps),
    ...evaluationRoutes({ ...deps, catalog }),
    ...routineRoutes(deps),
    ...interopRoutes(deps),
    rest('GET', '/telemetry', async () => ({ otlp: deps.telemetry() }), { doc: { summary: 'The OpenTelemetry export: its collector and the spans sent, queued and dropped' } }),
  ]);
}
