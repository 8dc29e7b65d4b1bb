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

const asText = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));

export interface AlignedParam {
  name: string;
  left: string | null;
  right: string | null;
  differs: boolean;
}

/** Both runs' parameters by name (sorted), each value as text, marked where they differ. */
export function alignParams(left: Trajectory, right: Trajectory): AlignedParam[] {
  const names = [...new Set([...Object.keys(left.init_params), ...Object.keys(right.init_params)])].sort();
  return names.map((name) => {
    const l = asText(left.init_params[name]);
    const r = asText(right.init_params[name]);
    return { name, left: l, right: r, differs: l !== r };
  });
}

/** A tool call as compare shows it: its name and its arguments as JSON text. */
export interface ToolCallView {
  name: string;
  args: string;
}

export interface AlignedToolCall {
  left: ToolCallView | null;
  right: ToolCallView | null;
  comparison: ArtifactComparison;
}

/**
 * Both runs' tool-call sequences aligned by name (a longest common subsequence), so a call
 * one run added or left out shows as a gap; aligned calls are `same` when their arguments match.
 */
export function alignToolCalls(left: readonly ToolCallView[], right: readonly ToolCallView[]): AlignedToolCall[] {
  const n = left.length;
  const m = right.length;
  // lcs[i][j]: the longest common name sequence of left[i:] and right[j:].
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = left[i].name === right[j].name ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const rows: AlignedToolCall[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && left[i].name === right[j].name) {
      rows.push({ left: left[i], right: right[j], comparison: left[i].args === right[j].args ? 'same' : 'different' });
      i++;
      j++;
    } else if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
      rows.push({ left: left[i++], right: null, comparison: 'only-left' });
    } else {
      rows.push({ left: null, right: right[j++], comparison: 'only-right' });
    }
  }
  return rows;
}
