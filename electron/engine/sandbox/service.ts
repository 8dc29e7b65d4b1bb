import { randomBytes, randomUUID } from 'node:crypto';
import type Docker from 'dockerode';
import { THIS_PROCESS } from '../base/process-identity';
import { DEFAULT_LIMITS, LABELS, resolveLimits, type SandboxLimits, type SandboxNetwork, type SandboxOwner } from './container-config';
import { createDockerActivity } from './activity';
import { DockerClient } from './docker-client';
import { DockerSandbox, destroyOnAbort, startContainer } from './docker-sandbox';
import { watchDockerEvents, type DockerEventsWatch } from './docker-events';
import { dockerStatusCode, withDocker } from './errors';
import { execInContainer } from './exec';
import { startGatewayRelay } from './gateway-relay';
import { ensureImage, imageId, listLocalImages, resolveImage, type EnsuredImage, type ImageProgress, type ImageRef, type ImageRequest, type LocalImage } from './images';
import { cleanupOrphans } from './orphans';
import { poolLabel, specFromLabel, type PoolSpec } from './pool-key';
import { DEFAULT_IMAGE_NAMESPACE } from './snapshots';
import { dockerStatus, type DockerStatus } from './status';
import { describeDockerHost } from './errors';
import { createWarmPool, type Parked, type PoolStatus, type WarmPool } from './warm-pool';

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
  /**
   * A warm pool (`warm-pool.ts`): `size()` containers kept started per image, limits and
   * network that runs used lately, adopted by the next run of the same. Without it (a
   * one-shot `jetty run`), every run's container is made for it.
   */
  warmPool?: { size(): number; idleMs?: number; retryMs?: number; onError?(message: string): void; onChange?(): void };
  /**
   * A one-shot process (`jetty run`): a run's container is handed to Docker for removal, and
   * its destroy resolves once Docker was asked, so the process need not wait for the
   * removal itself before it exits.
   */
  oneShot?: boolean;
}

/** A refill waits until runs leave Docker alone this long, and no longer than the bound after it. */
const REFILL_QUIET_MS = 150;
const REFILL_MAX_WAIT_MS = 10_000;

export interface CreateSandboxOptions {
  /** An image name, as returned by ensureImage. */
  image: string;
  /** Its id, as ensureImage returned it (looked up when absent): a warm container is adopted only if it runs this image. */
  imageId?: string;
  runId: string;
  limits?: Partial<SandboxLimits>;
  /** Default true; false → no network interface besides loopback; 'gateway' → see SandboxNetwork. */
  network?: SandboxNetwork;
  /** With network 'gateway': the run gateway's socket folder on the host. */
  gatewaySocketDir?: string;
  /** Environment for every command (secrets arrive this way: never logged, never part of the container). */
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
  /** The image's name and id when Docker has it now (null when it would have to be built or pulled). */
  presentImage(request: ImageRequest): Promise<{ name: string; id: string } | null>;
  /** A container for one run: a warm pool's, adopted (`sandbox.adopted`), else one made and started for it. */
  create(options: CreateSandboxOptions): Promise<DockerSandbox>;
  /**
   * Starts now the container a run about to start will ask for (the same options but the
   * run's), for its `create` to adopt: a one-shot process warms its own run's container
   * while it loads the rest. Nothing without a pool, nor for network 'gateway'.
   */
  prime(options: Pick<CreateSandboxOptions, 'image' | 'limits' | 'network'>): void;
  /**
   * A run is starting: the warm pool makes no container until the returned release is
   * called (at the run's first model call, or its end), so its refill never competes with a
   * run's own start.
   */
  runStarting(): () => void;
  /** The warm pool now (null without one). */
  poolStatus(): PoolStatus | null;
  /** The pool's size setting changed: apply it now. */
  resizePool(): void;
  /** The images Docker has locally (repo:tag), newest first, at most `limit` (default 50). */
  localImages(limit?: number): Promise<LocalImage[]>;
  /**
   * Removes containers whose owner process is gone (runs' and warm pools' parked ones);
   * returns their ids. What a dead process's pool kept warm is warmed again here.
   */
  cleanupOrphans(): Promise<string[]>;
  /** Destroys the sandboxes this service created that are still up, and the warm pool's. */
  close(): Promise<void>;
}

interface ParkedContainer extends Parked {
  container: Docker.Container;
}

/** A parked container's name; an adopted one is renamed `jetty-run-<run id>` (`docker ps` shows which run has it). */
const parkedName = () => `jetty-parked-${randomBytes(6).toString('hex')}`;
const runName = (runId: string) => `jetty-run-${runId.replace(/[^a-zA-Z0-9_.-]/g, '-')}`;

/** The Docker sandbox service: images, containers per run (from a warm pool when there is one), orphan clean-up. */
export function createSandboxService(options: SandboxServiceOptions = {}): SandboxService {
  const docker = options.docker ?? new DockerClient();
  const host = describeDockerHost();
  const namespace = options.imageNamespace ?? DEFAULT_IMAGE_NAMESPACE;
  const defaultLimits = resolveLimits(DEFAULT_LIMITS, options.defaultLimits);
  const owner: SandboxOwner = { ...THIS_PROCESS, instanceId: randomUUID() };
  const live = new Set<DockerSandbox>();
  const activity = createDockerActivity();
  const background = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    const tracked = work.catch(() => undefined).finally(() => background.delete(tracked));
    background.add(tracked);
  };

  // Image ids by name, trusted only while Docker's event stream is open (it says when an image changes).
  const imageIds = new Map<string, string>();
  let events: DockerEventsWatch | null = null;
  const cachedImageId = async (name: string): Promise<string | null> => {
    const cached = events?.live ? imageIds.get(name) : undefined;
    if (cached) return cached;
    const id = await imageId(docker, name);
    if (id && events?.live) imageIds.set(name, id);
    return id;
  };

  async function startRelay(container: Docker.Container, signal?: AbortSignal): Promise<void> {
    await startGatewayRelay({ exec: (command, execOptions) => execInContainer(docker, container, command, execOptions) }, signal);
  }

  /** Makes and starts a container: for a run (`runId`), or parked for the warm pool. */
  async function start(spec: PoolSpec, runId: string | null, signal?: AbortSignal): Promise<Docker.Container> {
    const pool = runId === null ? { label: poolLabel(spec), name: parkedName() } : undefined;
    const container = await startContainer(docker, { image: spec.image, runId, pool, owner, limits: spec.limits, network: spec.network, gatewaySocketDir: spec.gatewaySocketDir });
    try {
      // With only the gateway for a network, the agent reaches it through a relay on the sandbox's loopback: part of the container, nothing of a run.
      if (spec.network === 'gateway') await startRelay(container, signal);
    } catch (error) {
      await container.remove({ force: true }).catch(() => undefined);
      throw error;
    }
    return container;
  }

  const specOf = (create: Pick<CreateSandboxOptions, 'image' | 'limits' | 'network' | 'gatewaySocketDir'>): PoolSpec => ({
    image: create.image,
    limits: resolveLimits(defaultLimits, create.limits),
    network: create.network ?? true,
    gatewaySocketDir: create.gatewaySocketDir,
  });

  let pool: WarmPool<ParkedContainer> | null = null;
  if (options.warmPool) {
    const settings = options.warmPool;
    pool = createWarmPool<ParkedContainer>({
      size: settings.size,
      idleMs: settings.idleMs,
      retryMs: settings.retryMs,
      onError: settings.onError,
      onChange: settings.onChange,
      async park(spec, key) {
        const container = await start(spec, null);
        const info = await withDocker(() => container.inspect()).catch(async (error: unknown) => {
          await container.remove({ force: true }).catch(() => undefined);
          throw error;
        });
        return { id: container.id, imageId: info.Image, key, container };
      },
      remove: (parked) => removeContainer(parked.container),
      idle: (signal) => activity.quiet(REFILL_QUIET_MS, REFILL_MAX_WAIT_MS, signal),
    });
  }
  // A long-lived process's pool follows Docker's events; a one-shot one's lives too briefly to need them.
  if (pool && !options.oneShot) {
    events = watchDockerEvents(docker, {
      onContainerGone: (id) => pool?.gone(id),
      onImageChanged: () => imageIds.clear(),
      onResync: () => {
        imageIds.clear();
        track(
          withDocker(() => docker.listContainers({ filters: { label: [`${LABELS.instance}=${owner.instanceId}`], status: ['running'] } })).then((running) =>
            pool?.reconcile(new Set(running.map((c) => c.Id))),
          ),
        );
      },
    });
  }

  async function removeContainer(container: Docker.Container): Promise<void> {
    await withDocker(() => container.remove({ force: true })).catch((error: unknown) => {
      if (dockerStatusCode(error) !== 404) throw error;
    });
  }

  /** A warm container of `spec` running `imageId` that Docker still runs, taken one-way; null when the pool has none. */
  async function adopt(spec: PoolSpec, id: string, runId: string): Promise<Docker.Container | null> {
    let parked: ParkedContainer | null;
    while ((parked = pool?.take(spec, id) ?? null)) {
      const { container } = parked;
      // One quick look: a container removed behind the pool's back (before its event came) is skipped.
      const state = await withDocker(() => container.inspect()).catch(() => null);
      if (state?.State.Running) {
        track(withDocker(() => container.rename({ name: runName(runId) })));
        return container;
      }
      track(removeContainer(container));
    }
    return null;
  }

  return {
    instanceId: owner.instanceId,
    status: () => dockerStatus(docker, host),
    resolveImage: (request) => resolveImage(request, namespace),
    async ensureImage(request, call = {}) {
      const ref = resolveImage(request, namespace);
      const cached = events?.live ? imageIds.get(ref.name) : undefined;
      if (cached) return { name: ref.name, id: cached, action: 'present' };
      const ensured = await ensureImage(docker, ref, { sandboxesDir: options.sandboxesDir, buildArgs: options.buildArgs, onProgress: call.onProgress, signal: call.signal });
      if (events?.live) imageIds.set(ensured.name, ensured.id);
      return ensured;
    },
    async presentImage(request) {
      const { name } = resolveImage(request, namespace);
      const id = await cachedImageId(name);
      return id ? { name, id } : null;
    },
    async create(create) {
      create.signal?.throwIfAborted();
      const spec = specOf(create);
      let container: Docker.Container | null = null;
      if (pool) {
        // A container started ahead for this run is waited for, not made twice.
        await pool.ready(spec);
        const id = create.imageId ?? (await cachedImageId(create.image));
        container = id ? await adopt(spec, id, create.runId) : null;
        // Kept warm for the next run of the same (refilled once no run is starting).
        pool.want(spec);
      }
      const adopted = container !== null;
      container ??= await start(spec, create.runId, create.signal);
      const sandbox = new DockerSandbox(docker, container, { runId: create.runId, env: create.env, adopted, activity, removalAsked: options.oneShot, onDestroyed: (destroyed) => live.delete(destroyed) });
      live.add(sandbox);
      await destroyOnAbort(sandbox, create.signal);
      return sandbox;
    },
    prime(prime) {
      if (prime.network !== 'gateway') pool?.prime(specOf(prime));
    },
    runStarting: () => pool?.hold() ?? (() => undefined),
    poolStatus: () => pool?.status() ?? null,
    resizePool: () => pool?.resize(),
    localImages: (limit = 50) => listLocalImages(docker, limit),
    async cleanupOrphans() {
      const removed = await cleanupOrphans(docker);
      // What a dead process kept warm is warmed again here (a 'gateway' container's socket folder was its own: not that).
      for (const orphan of removed) {
        const spec = specFromLabel(orphan.labels[LABELS.pool]);
        if (spec && pool && (await cachedImageId(spec.image).catch(() => null))) pool.want(spec);
      }
      return removed.map((orphan) => orphan.id);
    },
    async close() {
      events?.close();
      await pool?.close();
      await Promise.all([...live].map((sandbox) => sandbox.destroy()));
      await Promise.all(background);
      // Whatever of this process's is still there goes too: a container whose start raced the
      // pool's close, a removal Docker refused while the container was still starting.
      const left = await withDocker(() => docker.listContainers({ all: true, filters: { label: [`${LABELS.instance}=${owner.instanceId}`] } })).catch(() => []);
      await Promise.all(left.map((c) => removeContainer(docker.getContainer(c.Id)).catch(() => undefined)));
    },
  };
}
