import path from 'node:path';
import type { TrajectoryEvent } from '../../shared/trajectory';
import { ensurePrivateDir } from './base/data-dir';
import { createRunner, type Runner } from './runs/runner';
import type { GatewaySettings } from './runs/run-gateway-access';
import { openSettings } from './base/settings';
import { createSandboxService, type SandboxService } from './sandbox';
import { createStorageService, type SecretStore, type StorageService } from './storage';
import { openStoredSecrets, shareKnownSecrets, type SecretSources } from './secrets/shared-secrets';
import { openStore, type Store } from './store';
import { keepSearchIndex } from './trajectories/search-upkeep';

export interface LocalServices {
  dataDir: string;
  store: Store;
  sandboxes: SandboxService;
  runner: Runner;
  /** Artifact storage per collection and the upload queue (drained from start-up on). */
  storage: StorageService;
  close(): Promise<void>;
}

/**
 * The engine's stateful services over one data folder: the trajectory store
 * (`jetty.db`), the Docker sandbox service and the run orchestrator (artifacts under
 * `artifacts/<id>`). The CLI, `jetty serve` and the Electron app all start from here.
 */
export function openLocalServices(
  dataDir: string,
  options: {
    onEvent?(trajectoryId: string, event: TrajectoryEvent): void;
    env?: NodeJS.ProcessEnv;
    /** Where collections' storage keys are kept (the app's vault); without it, the environment's. */
    vault?: SecretStore;
    /** Model prices and default run budgets (the app's Settings); without it, read from `<dataDir>/settings.json` at each run. */
    gatewaySettings?: () => GatewaySettings;
    /** The vault and collection environments every stored record is redacted of (default: the folder's, when readable). */
    secrets?: SecretSources;
    /**
     * Keep this many started containers warm per image runs use (Settings → Warm sandboxes,
     * read at each decision). Without it, none: a one-shot `jetty run` makes its run's own.
     */
    warmPoolSize?: () => number;
    /** A one-shot process (`jetty run`): its runs' containers are handed to Docker for removal, not waited for (see SandboxServiceOptions.oneShot). */
    oneShot?: boolean;
    /** The sandbox service, when the caller made it already (a one-shot run starts its container first); closed with the rest. */
    sandboxes?: SandboxService;
  } = {},
): LocalServices {
  ensurePrivateDir(dataDir);
  const store = openStore(path.join(dataDir, 'jetty.db'));
  const stopSharing = shareKnownSecrets(store, options.secrets ?? openStoredSecrets(dataDir), options.env ?? process.env);
  const warmPoolSize = options.warmPoolSize;
  const sandboxes = options.sandboxes ?? createSandboxService({
    oneShot: options.oneShot,
    ...(warmPoolSize ? { warmPool: { size: warmPoolSize, onError: (message: string) => console.warn(`jetty: ${message}`) } } : {}),
  });
  const storage = createStorageService({ store, dataDir, vault: options.vault, env: options.env });
  const runs = createRunner({
    store,
    sandboxes,
    artifactsRoot: path.join(dataDir, 'artifacts'),
    onEvent: options.onEvent,
    env: options.env,
    storage,
    gatewaySettings: options.gatewaySettings ?? (() => openSettings(dataDir).get()),
  });
  // A run's artifacts and inputs are uploaded once it has ended (its files are final then), with its export snapshot.
  const runner: Runner = {
    ...runs,
    async start(request) {
      const handle = await runs.start(request);
      void handle.done.then((t) => storage.runEnded(t.id));
      return handle;
    },
  };
  storage.start();
  const stopIndexing = keepSearchIndex(store, path.join(dataDir, 'artifacts'));
  return {
    dataDir,
    store,
    sandboxes,
    runner,
    storage,
    async close() {
      for (const run of runner.active()) run.cancel();
      await Promise.all(runner.active().map((run) => run.done));
      await runner.close();
      await sandboxes.close();
      await storage.close();
      stopSharing();
      stopIndexing();
      store.close();
    },
  };
}
