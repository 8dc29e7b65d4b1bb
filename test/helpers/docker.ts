/**
 * Docker for integration tests and benchmarks. They run against the real engine and the
 * offline base image that `.ci/docker.sh` builds (there is no registry to pull from).
 */
import Docker from 'dockerode';
import { createSandboxService, type SandboxService, type SandboxServiceOptions } from '../../electron/engine/sandbox';

export const TEST_BASE_IMAGE = 'jetty-test/base:latest';
/** Build args that let the snapshot Dockerfiles build offline on the test base image. */
export const OFFLINE_BUILD_ARGS = { BASE: TEST_BASE_IMAGE, SKIP_UV: 'true', SKIP_AGENT_CLIS: 'true' };
/** Snapshot images built by tests get this namespace (per process), never the real one. */
export const TEST_IMAGE_NAMESPACE = `jetty-test-${process.pid}`;

const SETUP_HINT = 'run `bash .ci/docker.sh` (as root) to install and start Docker and build the test base image';

/** The Docker client, after checking the daemon answers and the base image exists. */
export async function requireDocker(): Promise<Docker> {
  const docker = new Docker();
  try {
    await docker.ping();
  } catch (error) {
    throw new Error(`Docker is not reachable (${(error as Error).message}): ${SETUP_HINT}`);
  }
  try {
    await docker.getImage(TEST_BASE_IMAGE).inspect();
  } catch {
    throw new Error(`The test image ${TEST_BASE_IMAGE} is missing: ${SETUP_HINT}`);
  }
  return docker;
}

/** A sandbox service for tests: offline build args and a per-process image namespace. */
export function createTestSandboxService(docker: Docker, options: SandboxServiceOptions = {}): SandboxService {
  return createSandboxService({ docker, imageNamespace: TEST_IMAGE_NAMESPACE, buildArgs: OFFLINE_BUILD_ARGS, ...options });
}

/** Removes every sandbox container this test process created (left over by a failed test). */
export async function removeTestContainers(docker: Docker): Promise<void> {
  const mine = await docker.listContainers({
    all: true,
    filters: { label: ['app=jetty-desktop', `jetty.owner_pid=${process.pid}`] },
  });
  await Promise.all(mine.map((info) => docker.getContainer(info.Id).remove({ force: true }).catch(() => undefined)));
}

/** Whether a container still exists. */
export async function containerExists(docker: Docker, id: string): Promise<boolean> {
  try {
    await docker.getContainer(id).inspect();
    return true;
  } catch {
    return false;
  }
}

/**
 * A run's containers: made for it (labelled `jetty.run_id`), or adopted from a warm pool
 * (renamed `jetty-run-<id>` when adopted: a label cannot change).
 */
export async function runContainers(docker: Docker, runId: string): Promise<Docker.ContainerInfo[]> {
  const [made, adopted] = await Promise.all([
    docker.listContainers({ all: true, filters: { label: [`jetty.run_id=${runId}`] } }),
    docker.listContainers({ all: true, filters: { name: [`^/jetty-run-${runId}$`] } }),
  ]);
  return [...made, ...adopted];
}

/**
 * Resolves with `check()`'s answer once it is defined: checked now and again at each of
 * Docker's events that match `filters` (e.g. `{ label: ['jetty.instance=…'] }`) and each
 * time `wake` is called (another source of change: a warm pool's `onChange`). Bounded by
 * `timeoutMs`; the events are listened to before the first check, so none is missed.
 */
export async function untilDocker<T>(
  docker: Docker,
  filters: Record<string, string[]>,
  check: () => Promise<T | undefined>,
  what: string,
  options: { timeoutMs?: number; wake?: (listener: () => void) => () => void } = {},
): Promise<T> {
  const abort = new AbortController();
  const stream = (await docker.getEvents({ filters, abortSignal: abort.signal } as Docker.GetEventsOptions)) as NodeJS.ReadableStream & { destroy(): void };
  let unwake = () => undefined as void;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<T>((resolve, reject) => {
      let checking = false;
      let again = false;
      let last = '';
      const run = async () => {
        if (checking) return void (again = true);
        checking = true;
        try {
          do {
            again = false;
            const answer = await check();
            if (answer !== undefined) return resolve(answer);
          } while (again);
        } catch (error) {
          last = ` (last check: ${(error as Error).message})`;
        } finally {
          checking = false;
        }
      };
      timer = setTimeout(() => reject(new Error(`timed out after ${options.timeoutMs ?? 60_000} ms waiting for ${what}${last}`)), options.timeoutMs ?? 60_000);
      stream.on('data', () => void run());
      stream.on('error', () => undefined);
      unwake = options.wake?.(() => void run()) ?? unwake;
      void run();
    });
  } finally {
    clearTimeout(timer);
    unwake();
    abort.abort();
    stream.destroy();
  }
}
