import type { Artifact, Step, Trajectory } from '../../../../shared/trajectory';

export interface AlignedStep {
  name: string;
  left: Step | null;
  right: Step | null;
}

/** Both runs' steps side by side by name: the left run's order, then steps only the right one has. */
export function alignSteps(left: Trajectory, right: Trajectory): AlignedStep[] {
  const names = [...Object.keys(left.steps), ...Object.keys(right.steps).filter((n) => !(n in left.steps))];
  return names.map((name) => ({ name, left: left.steps[name] ?? null, right: right.steps[name] ?? null }));
}

export type ArtifactComparison = 'same' | 'different' | 'only-left' | 'only-right';

export interface AlignedArtifact {
  path: string;
  left: Artifact | null;
  right: Artifact | null;
  comparison: ArtifactComparison;
}

/** Both runs' result files by path, compared by sha256. */
export function alignArtifacts(left: Trajectory, right: Trajectory): AlignedArtifact[] {
  const byPath = (list: Artifact[]) => new Map(list.map((a) => [a.path, a]));
  const l = byPath(left.artifacts);
  const r = byPath(right.artifacts);
  const paths = [...new Set([...l.keys(), ...r.keys()])].sort();
  return paths.map((path) => {
    const a = l.get(path) ?? null;
    const b = r.get(path) ?? null;
    const comparison: ArtifactComparison = !a ? 'only-right' : !b ? 'only-left' : a.sha256 === b.sha256 ? 'same' : 'different';
    return { path, left: a, right: b, comparison };
  });
}

/** A step's duration in ms, when it has both times. */
export function stepDuration(step: Step | null): number | null {
  if (!step?.started_at || !step.ended_at) return null;
  return Date.parse(step.ended_at) - Date.parse(step.started_at);
}
