import type Docker from 'dockerode';
import { mayBeRunning, parseBoot } from '../base/process-identity';
import { APP_LABEL_VALUE, LABELS } from './container-config';
import { dockerStatusCode, withDocker } from './errors';

/** A container removed as an orphan: its id and labels (a warm pool's says what it kept warm). */
export interface RemovedOrphan {
  id: string;
  labels: Record<string, string>;
}

/**
 * Removes sandbox containers left by processes that are gone (a crash, a killed test run,
 * a reboot): runs' containers and warm pools' parked ones alike. Containers made on other
 * hosts sharing the daemon are kept, and so are those of live processes (other windows,
 * parallel tests, a `jetty serve`'s pool): see `mayBeRunning`. Returns those removed.
 */
export async function cleanupOrphans(docker: Docker): Promise<RemovedOrphan[]> {
  const containers = await withDocker(() =>
    docker.listContainers({ all: true, filters: { label: [`${LABELS.app}=${APP_LABEL_VALUE}`] } }),
  );
  const orphans = containers.filter((info) => {
    const labels = info.Labels ?? {};
    const owner = { host: labels[LABELS.ownerHost], pid: Number(labels[LABELS.ownerPid]), boot: parseBoot(labels[LABELS.ownerBoot]) };
    return !mayBeRunning(owner);
  });
  const removed: RemovedOrphan[] = [];
  for (const orphan of orphans) {
    try {
      await withDocker(() => docker.getContainer(orphan.Id).remove({ force: true }));
      removed.push({ id: orphan.Id, labels: orphan.Labels ?? {} });
    } catch (error) {
      if (dockerStatusCode(error) !== 404) throw error;
    }
  }
  return removed;
}
