import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { findResourcesSubdir } from '../base/resources-dir';

/**
 * What a snapshot name stands for, without Docker: the linter reads it too, so this
 * module imports only Node's fs and path.
 */
export const DEFAULT_SNAPSHOT = 'python312-uv';
export const DEFAULT_IMAGE_NAMESPACE = 'jetty-sandbox';

/** A snapshot name is an image name part: lower-case letters, digits, `.`, `_` and `-`. */
export const SNAPSHOT_NAME = /^[a-z0-9][a-z0-9._-]*$/;

/** The image a snapshot is built as (and looked up by) in Docker. */
export function snapshotImageName(snapshot: string, namespace = DEFAULT_IMAGE_NAMESPACE): string {
  return `${namespace}/${snapshot}:latest`;
}

/** Whether `sandboxesDir` has a Dockerfile for `snapshot` (what is not a snapshot name has none). */
export function hasSnapshot(sandboxesDir: string, snapshot: string): boolean {
  return SNAPSHOT_NAME.test(snapshot) && existsSync(path.join(sandboxesDir, snapshot, 'Dockerfile'));
}

/** The snapshots that have a Dockerfile in `sandboxesDir`. */
export function knownSnapshots(sandboxesDir: string): string[] {
  if (!existsSync(sandboxesDir)) return [];
  return readdirSync(sandboxesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && hasSnapshot(sandboxesDir, entry.name))
    .map((entry) => entry.name)
    .sort();
}

/**
 * Where the snapshot Dockerfiles live: `JETTY_SANDBOXES_DIR`, else the nearest
 * `resources/sandboxes` above this module (source tree or bundle in `out/`); null when none.
 */
export function sandboxesDirOrNull(env: NodeJS.ProcessEnv = process.env, from: string = import.meta.url): string | null {
  return findResourcesSubdir('sandboxes', 'JETTY_SANDBOXES_DIR', env, from);
}
