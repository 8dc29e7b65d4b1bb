import type Docker from 'dockerode';
import type { ProcessIdentity } from '../base/process-identity';
import { SandboxError } from './errors';
import { SANDBOX_WORKDIR } from './files';

/** Labels every sandbox container carries; `app` finds ours, the owner ones find orphans. */
export const LABELS = {
  app: 'app',
  runId: 'jetty.run_id',
  ownerPid: 'jetty.owner_pid',
  ownerHost: 'jetty.owner_host',
  ownerBoot: 'jetty.owner_boot',
  instance: 'jetty.instance',
  /** A warm pool's container: what it was made for (`poolLabel`), so a restart knows what to warm again. */
  pool: 'jetty.pool',
} as const;
export const APP_LABEL_VALUE = 'jetty-desktop';

/**
 * A sandbox's network: on (true, the default), off (false: loopback only), or 'gateway':
 * loopback only, plus the run gateway through a socket mounted from the host and relayed
 * on the sandbox's loopback (`gateway-relay.ts`) — the agent reaches its model and nothing
 * else, not even services on the host bound to 0.0.0.0, which a bridged container reaches.
 */
export type SandboxNetwork = boolean | 'gateway';

/** Where the run gateway's socket folder is mounted in a sandbox whose network is 'gateway'. */
export const GATEWAY_SOCKET_MOUNT = '/run/jetty-gateway';

export interface SandboxLimits {
  /** CPUs, fractions allowed (becomes NanoCpus). */
  cpus: number;
  memoryBytes: number;
  pids: number;
}

/** Inputs go to /app/assets, deliverables to /app/results. */
export const ASSETS_DIR = `${SANDBOX_WORKDIR}/assets`;
export const RESULTS_DIR = `${SANDBOX_WORKDIR}/results`;

export const DEFAULT_LIMITS: SandboxLimits = { cpus: 2, memoryBytes: 4 * 1024 ** 3, pids: 512 };

export interface SandboxOwner extends ProcessIdentity {
  instanceId: string;
}

/** Everything that decides how a run's container is made. */
export interface ContainerSettings {
  image: string;
  /** The run it is made for; null for a warm pool's container, parked until a run adopts it. */
  runId: string | null;
  /** A warm pool's container: its pool label (see poolLabel) and its name (`jetty-parked-…`). */
  pool?: { label: string; name: string };
  owner: SandboxOwner;
  limits: SandboxLimits;
  /** true: Docker's bridge (the host reachable as host.docker.internal); false: no network; 'gateway': see SandboxNetwork. */
  network: SandboxNetwork;
  /** With network 'gateway': the host folder holding the run gateway's socket, mounted read-only at GATEWAY_SOCKET_MOUNT. */
  gatewaySocketDir?: string;
}

/** Merges per-run overrides onto defaults, rejecting values Docker would misread. */
export function resolveLimits(base: SandboxLimits, overrides: Partial<SandboxLimits> = {}): SandboxLimits {
  const limits = { ...base, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new SandboxError(`Invalid sandbox limit ${name}=${value}: use a positive number`);
    }
  }
  if (limits.memoryBytes < 6 * 1024 * 1024) throw new SandboxError('Invalid sandbox limit memoryBytes: Docker needs at least 6 MiB');
  return { ...limits, pids: Math.floor(limits.pids), memoryBytes: Math.floor(limits.memoryBytes) };
}

function gatewaySocketDirOf(settings: ContainerSettings): string {
  if (!settings.gatewaySocketDir) throw new SandboxError("a sandbox whose network is 'gateway' needs the run gateway's socket folder");
  return settings.gatewaySocketDir;
}

/**
 * How a container is made, and nothing of any run: a run's environment (its token, secrets,
 * parameters) goes with each command it runs (`DockerSandbox.exec`), its files in one archive,
 * so a container made ahead of its run (a warm pool's) is the same as one made for it.
 */
export function containerConfig(settings: ContainerSettings): Docker.ContainerCreateOptions {
  return {
    ...(settings.pool ? { name: settings.pool.name } : {}),
    Image: settings.image,
    // Lives until destroyed; makes the /app layout for images that lack it (snapshot images have it).
    Entrypoint: ['/bin/sh', '-c', `mkdir -p ${ASSETS_DIR} ${RESULTS_DIR}; exec sleep infinity`],
    Cmd: [],
    WorkingDir: SANDBOX_WORKDIR,
    Labels: {
      [LABELS.app]: APP_LABEL_VALUE,
      ...(settings.runId !== null ? { [LABELS.runId]: settings.runId } : {}),
      ...(settings.pool ? { [LABELS.pool]: settings.pool.label } : {}),
      [LABELS.ownerPid]: String(settings.owner.pid),
      [LABELS.ownerHost]: settings.owner.host,
      [LABELS.ownerBoot]: String(settings.owner.boot ?? ''),
      [LABELS.instance]: settings.owner.instanceId,
    },
    HostConfig: {
      NanoCpus: Math.round(settings.limits.cpus * 1e9),
      Memory: settings.limits.memoryBytes,
      PidsLimit: settings.limits.pids,
      NetworkMode: settings.network === true ? undefined : 'none',
      // `host.docker.internal` reaches the host on Linux too (Docker Desktop has it built
      // in): a model server there (Ollama, a local gateway) works from a run.
      ExtraHosts: settings.network === true ? ['host.docker.internal:host-gateway'] : undefined,
      Binds: settings.network === 'gateway' ? [`${gatewaySocketDirOf(settings)}:${GATEWAY_SOCKET_MOUNT}:ro`] : undefined,
      // A tiny init as PID 1 reaps the processes a killed command leaves behind.
      Init: true,
    },
  };
}
