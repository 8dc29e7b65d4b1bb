import { ArtifactSchema, type Artifact } from '../../../shared/trajectory';
import type { StoreContext } from './context';
import { parseOrThrow } from './validate';

export type ArtifactsRepository = ReturnType<typeof artifactsRepository>;

/** Files a run produced, one record per path (size, sha256, media type), listed by path. */
export function artifactsRepository(ctx: StoreContext) {
  const sql = {
    put: ctx.db.prepare(`
      INSERT INTO artifacts (trajectory_id, path, size, sha256, media_type) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (trajectory_id, path) DO UPDATE
        SET size = excluded.size, sha256 = excluded.sha256, media_type = excluded.media_type`),
    list: ctx.db.prepare<[string], Artifact>(
      'SELECT path, size, sha256, media_type FROM artifacts WHERE trajectory_id = ? ORDER BY path',
    ),
  };

  /** Writes an artifact record as given (used by add and by import). */
  const put = (trajectoryId: string, artifact: Artifact): void => {
    sql.put.run(trajectoryId, artifact.path, artifact.size, artifact.sha256, artifact.media_type);
  };

  return {
    put,
    /** Records an artifact (redacted), replacing the record of the same path. */
    add(trajectoryId: string, artifact: Artifact): Artifact {
      const parsed = ctx.redactorFor(trajectoryId).redactValue(parseOrThrow(ArtifactSchema, artifact, 'artifact'));
      put(trajectoryId, parsed);
      return parsed;
    },
    all: (trajectoryId: string): Artifact[] => sql.list.all(trajectoryId),
  };
}
