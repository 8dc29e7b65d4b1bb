import type { Artifact, Step, Trajectory } from '../../../../shared/trajectory';

/** Runs compared side by side, at most. */
export const MAX_COMPARED = 4;

export type ArtifactComparison = 'same' | 'different' | 'only-left' | 'only-right';

/** A step's duration in ms, when it has both times. */
export function stepDuration(step: Step | null): number | null {
  if (!step?.started_at || !step.ended_at) return null;
  return Date.parse(step.ended_at) - Date.parse(step.started_at);
}

const asText = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));

export interface AlignedParam {
  name: string;
  /** Each run's value as text (null: the run has none), in the runs' order. */
  values: (string | null)[];
  /** Whether any run's value differs from the first's. */
  differs: boolean;
}

/** The runs' parameters by name (sorted), each value as text, marked where any differs from the first run's. */
export function alignParams(runs: readonly Trajectory[]): AlignedParam[] {
  const names = [...new Set(runs.flatMap((t) => Object.keys(t.init_params)))].sort();
  return names.map((name) => {
    const values = runs.map((t) => asText(t.init_params[name]));
    return { name, values, differs: values.some((v) => v !== values[0]) };
  });
}

/** The runs' steps by name: the first run's order, then steps only later runs have. */
export function alignStepsOf(runs: readonly Trajectory[]): { name: string; steps: (Step | null)[] }[] {
  const names = [...new Set(runs.flatMap((t) => Object.keys(t.steps)))];
  return names.map((name) => ({ name, steps: runs.map((t) => t.steps[name] ?? null) }));
}

/** How a run's result file compares with the first run's. */
export type FileComparison = 'same' | 'different' | 'missing' | 'added' | 'baseline';

/** The runs' result files by path, each compared by sha256 with the first run's. */
export function alignArtifactsOf(runs: readonly Trajectory[]): { path: string; files: (Artifact | null)[]; comparisons: FileComparison[] }[] {
  const paths = [...new Set(runs.flatMap((t) => t.artifacts.map((a) => a.path)))].sort();
  return paths.map((path) => {
    const files = runs.map((t) => t.artifacts.find((a) => a.path === path) ?? null);
    const base = files[0];
    const comparisons = files.map((f, i): FileComparison => (i === 0 ? 'baseline' : !f ? 'missing' : !base ? 'added' : f.sha256 === base.sha256 ? 'same' : 'different'));
    return { path, files, comparisons };
  });
}

/** A tool call's arguments as readable text: JSON pretty-printed, anything else as it is. */
export function readableArgs(args: string): string {
  try {
    return JSON.stringify(JSON.parse(args), null, 2);
  } catch {
    return args;
  }
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
