import { open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { isTextMediaType } from '../base/text-media';
import type { Store } from '../store';

/** Result files larger than this are indexed by their first MAX_FILE_BYTES. */
const MAX_FILE_BYTES = 1024 * 1024;
/** Events of the backlog indexed per turn of the event loop (one transaction each). */
const BACKLOG_EVENTS_PER_TURN = 2000;

/** The first MAX_FILE_BYTES of a trajectory's result file, as text; null when it is not in the artifacts folder (pruned after upload, imported). */
async function readResultFile(artifactsRoot: string, id: string, artifactPath: string): Promise<string | null> {
  const root = await realpath(path.join(artifactsRoot, id)).catch(() => null);
  const file = root && (await realpath(path.join(root, artifactPath)).catch(() => null));
  if (!root || !file?.startsWith(root + path.sep)) return null;
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(MAX_FILE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MAX_FILE_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Keeps the store's full-text index whole, in the background: each text result file a
 * trajectory records is read from its local copy (already redacted, and redacted again as
 * the store indexes it) and indexed; the trajectories stored before the index existed are
 * indexed a slice per turn until none is left. Returns a stop function.
 */
export function keepSearchIndex(store: Store, artifactsRoot: string): () => void {
  let stopped = false;
  const pending = new Set<string>();
  let indexing: Promise<void> | null = null;

  async function indexFiles(): Promise<void> {
    while (pending.size > 0 && !stopped) {
      const [id] = pending;
      pending.delete(id);
      for (const artifact of store.getTrajectory(id)?.artifacts ?? []) {
        if (stopped || !isTextMediaType(artifact.media_type) || store.isResultFileIndexed(id, artifact.path)) continue;
        const text = await readResultFile(artifactsRoot, id, artifact.path).catch(() => null);
        if (text !== null && !stopped) store.indexResultFile(id, artifact.path, text);
      }
    }
    indexing = null;
  }
  const off = store.onChange(({ table, trajectoryId }) => {
    if (table !== 'artifacts' || stopped) return;
    pending.add(trajectoryId);
    indexing ??= indexFiles().catch((error: unknown) => {
      indexing = null;
      console.error('Indexing result files for search failed:', error);
    });
  });

  let timer: NodeJS.Timeout | undefined;
  const backlogTurn = () => {
    if (stopped) return;
    try {
      if (store.indexSearchBacklog(BACKLOG_EVENTS_PER_TURN)) timer = setTimeout(backlogTurn, 0).unref();
    } catch (error) {
      console.error('Indexing earlier trajectories for search failed:', error);
    }
  };
  timer = setTimeout(backlogTurn, 0).unref();

  return () => {
    stopped = true;
    clearTimeout(timer);
    off();
  };
}
