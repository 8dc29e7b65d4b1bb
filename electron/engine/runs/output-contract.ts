import type { Artifact } from '../../../shared/trajectory';

/**
 * The files a run must leave in its results folder that it did not: each declared
 * output (a path under `{{results_dir}}`) that no collected artifact has.
 */
export function missingOutputs(required: readonly string[], artifacts: readonly Pick<Artifact, 'path'>[]): string[] {
  const present = new Set(artifacts.map((a) => a.path.replace(/^\.?\//, '')));
  return required.filter((file) => !present.has(file));
}
