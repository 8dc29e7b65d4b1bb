import type Docker from 'dockerode';
import { APP_LABEL_VALUE, LABELS } from './container-config';
import { dockerStatusCode, withDocker } from './errors';

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes sandbox containers left by processes that are gone (a crash, a killed test run).
 * Only containers made on this host are judged, so processes elsewhere sharing the daemon
 * keep theirs; containers of live processes (other windows, parallel tests) are kept.
 * Returns the ids removed.
 */
export async function cleanupOrphans(
  docker: Docker,
  host: string,
  isAlive: (pid: number) => boolean = isProcessAlive,
): Promise<string[]> {
  const containers = await withDocker(() =>
    docker.listContainers({ all: true, filters: { label: [`${LABELS.app}=${APP_LABEL_VALUE}`] } }),
  );
  const orphans = containers.filter((info) => {
    const labels = info.Labels ?? {};
    if (labels[LABELS.ownerHost] !== host) return false;
    const pid = Number(labels[LABELS.ownerPid]);
    return !Number.isInteger(pid) || pid <= 0 || !isAlive(pid);
  });
  const removed: string[] = [];
  for (const orphan of orphans) {
    try {
      await withDocker(() => docker.getContainer(orphan.Id).remove({ force: true }));
      removed.push(orphan.Id);
    } catch (error) {
      if (dockerStatusCode(error) !== 404) throw error;
    }
  }
  return removed;
}
