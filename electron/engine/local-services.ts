import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { TrajectoryEvent } from '../../shared/trajectory';
import { createRunner, type Runner } from './runs/runner';
import { createSandboxService, type SandboxService } from './sandbox';
import { openStore, type Store } from './store';

export interface LocalServices {
  dataDir: string;
  store: Store;
  sandboxes: SandboxService;
  runner: Runner;
  close(): Promise<void>;
}

/**
 * The engine's stateful services over one data folder: the trajectory store
 * (`jetty.db`), the Docker sandbox service and the run orchestrator (artifacts under
 * `artifacts/<id>`). The CLI, `jetty serve` and the Electron app all start from here.
 */
export function openLocalServices(
  dataDir: string,
  options: { onEvent?(trajectoryId: string, event: TrajectoryEvent): void; env?: NodeJS.ProcessEnv } = {},
): LocalServices {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const store = openStore(path.join(dataDir, 'jetty.db'));
  const sandboxes = createSandboxService();
  const runner = createRunner({
    store,
    sandboxes,
    artifactsRoot: path.join(dataDir, 'artifacts'),
    onEvent: options.onEvent,
    env: options.env,
  });
  return {
    dataDir,
    store,
    sandboxes,
    runner,
    async close() {
      for (const run of runner.active()) run.cancel();
      await Promise.all(runner.active().map((run) => run.done));
      await sandboxes.close();
      store.close();
    },
  };
}
