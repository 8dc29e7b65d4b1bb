import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { Artifact } from '../../shared/trajectory';
import type { Store } from '../../electron/engine/store';

/** Writes `size` random bytes to `file` in 1 MiB chunks (never all in memory); returns their sha256. */
export async function writeRandomFile(file: string, size: number): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  const hash = createHash('sha256');
  const out = createWriteStream(file);
  for (let written = 0; written < size; ) {
    const chunk = randomBytes(Math.min(1024 * 1024, size - written));
    hash.update(chunk);
    written += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return hash.digest('hex');
}

/**
 * A finished trajectory of `collection` whose artifacts (random files of the given sizes)
 * sit in `<dataDir>/artifacts/<id>/`, as a run's collect step leaves them.
 */
export async function finishedRunWithArtifacts(store: Store, dataDir: string, collection: string, files: Record<string, number>): Promise<{ id: string; artifacts: Artifact[] }> {
  const { id } = store.createTrajectory({ collection, task: 'artifacts', kind: 'runbook', status: 'running' });
  const artifacts: Artifact[] = [];
  for (const [name, size] of Object.entries(files)) {
    const sha256 = await writeRandomFile(path.join(dataDir, 'artifacts', id, name), size);
    artifacts.push(store.addArtifact(id, { path: name, size, sha256, media_type: 'application/octet-stream' }));
  }
  store.updateStatus(id, 'completed');
  return { id, artifacts };
}
