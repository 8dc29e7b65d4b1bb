import type { WorkflowActivity } from '../../../../shared/contract';
import type { JsonStringCursor } from './json-cursor';

/** The parts of a workflow document completion reads (any of them may be missing while typing). */
export interface WorkflowShape {
  init_params?: Record<string, unknown>;
  step_configs?: Record<string, { activity?: unknown } & Record<string, unknown>>;
  steps?: unknown[];
}

export interface PathSuggestion {
  expression: string;
  detail: string;
}

/** The step whose `*_path` value the cursor is in (`step_configs.<step>….<x>_path[ i ]`), or null. */
export function pathValueStep(cursor: JsonStringCursor, prefix: (string | number)[] = []): string | null {
  if (cursor.isKey) return null;
  const path = cursor.path.slice(prefix.length);
  if (path[0] !== 'step_configs' || typeof path[1] !== 'string' || path.length < 3) return null;
  const key = [...path].reverse().find((p): p is string => typeof p === 'string');
  return key?.endsWith('_path') ? path[1] : null;
}

/**
 * Path expressions a step may read: `init_params.<name>`, and each earlier step's
 * outputs (as its activity declares them) and inputs. Steps that run later are not offered
 * (the linter refuses them, WF005).
 */
export function pathSuggestions(doc: WorkflowShape, step: string, activities: readonly WorkflowActivity[]): PathSuggestion[] {
  const out: PathSuggestion[] = Object.keys(doc.init_params ?? {}).map((k) => ({ expression: `init_params.${k}`, detail: 'run parameter' }));
  const order = (doc.steps ?? []).filter((s): s is string => typeof s === 'string');
  const position = order.indexOf(step);
  const earlier = position < 0 ? order : order.slice(0, position);
  for (const name of earlier) {
    const activity = activities.find((a) => a.activity_name === doc.step_configs?.[name]?.activity);
    if (!activity) continue;
    out.push({ expression: `${name}.outputs`, detail: `${activity.activity_name} outputs` });
    for (const o of activity.outputs) out.push({ expression: `${name}.outputs.${o}`, detail: `output of ${activity.activity_name}` });
    for (const p of activity.parameters) out.push({ expression: `${name}.inputs.${p.name}`, detail: `input of ${activity.activity_name}` });
  }
  return out;
}
