import { randomUUID } from 'node:crypto';
import Docker from 'dockerode';
import { THIS_PROCESS } from '../base/process-identity';
import { DEFAULT_LIMITS, resolveLimits, type SandboxLimits, type SandboxNetwork, type SandboxOwner } from './container-config';
import { startSandbox, type DockerSandbox } from './docker-sandbox';
import { ensureImage, listLocalImages, resolveImage, type EnsuredImage, type ImageProgress, type ImageRef, type ImageRequest, type LocalImage } from './images';
import { cleanupOrphans } from './orphans';
import { DEFAULT_IMAGE_NAMESPACE } from './snapshots';
import { dockerStatus, type DockerStatus } from './status';
import { describeDockerHost } from './errors';

export interface SandboxServiceOptions {
  /** Defaults to `new Docker()`, which follows DOCKER_HOST (and the default socket without it). */
  docker?: Docker;
  /** Folder of snapshot Dockerfiles; defaults to the app's resources/sandboxes. */
  sandboxesDir?: string;
  /** Snapshot images are named `<namespace>/<snapshot>:latest`; default jetty-sandbox. */
  imageNamespace?: string;
  /** Build args for snapshot builds, e.g. `{ BASE: 'jetty-test/base:latest', SKIP_UV: 'true' }`. */
  buildArgs?: Record<string, string>;
  /** Limits for runs that set none; default 2 CPUs, 4 GiB, 512 pids. */
  defaultLimits?: Partial<SandboxLimits>;
}

export interface CreateSandboxOptions {
  /** An image name, as returned by ensureImage. */
  image: string;
  runId: string;
  limits?: Partial<SandboxLimits>;
  /** Default true; false → no network interface besides loopback; 'gateway' → see SandboxNetwork. */
  network?: SandboxNetwork;
  /** With network 'gateway': the run gateway's socket folder on the host. */
  gatewaySocketDir?: string;
  /** Environment for every command (secrets arrive this way: never logged). */
  env?: Record<string, string>;
  /** The run's cancel: aborting kills and removes the container. */
  signal?: AbortSignal;
}

export interface EnsureImageCallOptions {
  onProgress?(progress: ImageProgress): void;
  signal?: AbortSignal;
}

export interface SandboxService {
  /** Labels this service's containers (`jetty.instance`). */
  readonly instanceId: string;
  status(): Promise<DockerStatus>;
  resolveImage(request: ImageRequest): ImageRef;
  /** Makes the runbook's image available locally: present, built from its snapshot Dockerfile, or pulled. */
  ensureImage(request: ImageRequest, options?: EnsureImageCallOptions): Promise<EnsuredImage>;
  create(options: CreateSandboxOptions): Promise<DockerSandbox>;
  /** The images Docker has locally (repo:tag), newest first, at most `limit` (default 50). */
  localImages(limit?: number): Promise<LocalImage[]>;
  /** Removes containers whose owner process is gone; returns their ids. */
  cleanupOrphans(): Promise<string[]>;
  /** Destroys the sandboxes this service created that are still up. */
  close(): Promise<void>;
}

/** The Docker sandbox service: images, containers per run, orphan clean-up. */
export function createSandboxService(options: SandboxServiceOptions = {}): SandboxService {
  const docker = options.docker ?? new Docker();
  const host = describeDockerHost();
  const namespace = options.imageNamespace ?? DEFAULT_IMAGE_NAMESPACE;
  const defaultLimits = resolveLimits(DEFAULT_LIMITS, options.defaultLimits);
  const owner: SandboxOwner = { ...THIS_PROCESS, instanceId: randomUUID() };
  const live = new Set<DockerSandbox>();

  return {
    instanceId: owner.instanceId,
    status: () => dockerStatus(docker, host),
    resolveImage: (request) => resolveImage(request, namespace),
    ensureImage: (request, call = {}) =>
      ensureImage(docker, resolveImage(request, namespace), {
        sandboxesDir: options.sandboxesDir,
        buildArgs: options.buildArgs,
        onProgress: call.onProgress,
        signal: call.signal,
      }),
    async create(create) {
      const sandbox = await startSandbox(
        docker,
        {
          image: create.image,
          runId: create.runId,
          owner,
          limits: resolveLimits(defaultLimits, create.limits),
          network: create.network ?? true,
          gatewaySocketDir: create.gatewaySocketDir,
          env: create.env ?? {},
        },
        { signal: create.signal, onDestroyed: (destroyed) => live.delete(destroyed) },
      );
      live.add(sandbox);
      return sandbox;
    },
    localImages: (limit = 50) => listLocalImages(docker, limit),
    cleanupOrphans: () => cleanupOrphans(docker),
    async close() {
      await Promise.all([...live].map((sandbox) => sandbox.destroy()));
    },
  };
}
