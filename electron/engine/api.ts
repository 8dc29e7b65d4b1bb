import type { Api } from '../../shared/contract';
import { createEventBus, type EventBus } from './events';
import { runHandlers } from './handlers/runs';
import { settingsHandlers } from './handlers/settings';
import { templateHandlers } from './handlers/templates';
import { trajectoryHandlers } from './handlers/trajectories';
import { workspaceHandlers } from './handlers/workspace';
import { openLocalServices, type LocalServices } from './local-services';
import { openSecretVault } from './secrets/vault';
import { openSettings } from './settings';
import { VERSION } from './version';
import { watchWorkspaces } from './workspace/watch';
import { createWorkspaces } from './workspace/workspaces';

export interface EngineOptions {
  dataDir: string;
  /** Folders to open at start (e.g. `jetty serve <folder>`). */
  folders?: string[];
  /** The secret store's key when the OS keychain holds it (Electron); else a 0600 key file. */
  vaultKey?: Buffer;
  env?: NodeJS.ProcessEnv;
}

export interface Engine {
  api: Api;
  bus: EventBus;
  services: LocalServices;
  close(): Promise<void>;
}

/** Tables whose changes alter what a trajectory header shows. */
const HEADER_TABLES = new Set(['trajectories', 'steps', 'labels', 'artifacts']);

/** Wires the engine's modules into the contract's methods. Transports call only this. */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const env = options.env ?? process.env;
  const bus = createEventBus();
  const services = openLocalServices(options.dataDir, {
    env,
    onEvent: (trajectoryId, event) => bus.emit('run.event', { trajectoryId, event }),
  });
  await services.runner.recover();
  const unwatch = services.store.onChange(({ table, trajectoryId }) => {
    if (!HEADER_TABLES.has(table) || !trajectoryId) return;
    const t = services.store.getTrajectory(trajectoryId);
    if (t) bus.emit('trajectory.changed', t);
  });
  const vault = openSecretVault(options.dataDir, options.vaultKey);
  const settings = openSettings(options.dataDir);
  const workspaces = createWorkspaces(bus);
  const watcher = watchWorkspaces(workspaces, bus);
  for (const folder of options.folders ?? []) await workspaces.open(folder);

  const api: Api = {
    'app.info': async () => ({ version: VERSION, dataDir: options.dataDir }),
    ...workspaceHandlers(workspaces, settings),
    ...templateHandlers(workspaces),
    ...runHandlers(services, vault, settings, env),
    ...trajectoryHandlers(services),
    ...settingsHandlers(vault, settings, services.sandboxes),
  };
  return {
    api,
    bus,
    services,
    async close() {
      unwatch();
      watcher.close();
      workspaces.close();
      await services.close();
    },
  };
}
