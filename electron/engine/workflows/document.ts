import { z } from 'zod';
import { Budget, StepBoundError } from './bounds';
import { pathUses, stringLiterals } from './inputs';
import { MAX_WORKFLOW_DOCUMENT_CHARS } from './limits';
import { checkPath, INIT_PARAMS, templateReferences } from './paths';
import { STEP_TEMPLATES, stepTemplate } from './templates/registry';

export const StepConfigSchema = z
  .object({
    activity: z.string().min(1),
    /** Extra attempts after a failure (default: 3 for steps that call out, 0 for pure ones). */
    retries: z.number().int().min(0).max(20).optional(),
    /** Seconds one attempt may take. */
    timeout: z.number().positive().max(7 * 24 * 3600).optional(),
  })
  .catchall(z.unknown());

export const WorkflowDocumentSchema = z
  .object({
    init_params: z.record(z.string(), z.unknown()).default({}),
    step_configs: z.record(z.string(), StepConfigSchema),
    steps: z.array(z.string()).min(1, 'a workflow needs at least one step'),
  })
  .catchall(z.unknown());

export type StepConfig = z.infer<typeof StepConfigSchema>;
export type WorkflowDocument = z.infer<typeof WorkflowDocumentSchema>;

/** A problem in a workflow document, located by its JSON path (keys and indexes from the root). */
export interface WorkflowIssue {
  code: string;
  message: string;
  path: (string | number)[];
  hint?: string;
}

/** Located issue codes (stable, shown by `jetty lint`). */
export const WF = {
  shape: 'WF001',
  unknownActivity: 'WF002',
  missingParameter: 'WF003',
  badPath: 'WF004',
  pathNamesLaterStep: 'WF005',
  unknownTarget: 'WF006',
  cycle: 'WF007',
  unknownStep: 'WF008',
  duplicateStep: 'WF009',
} as const;

/** `a.b[0].c` for a JSON path. */
export const formatJsonPath = (path: readonly (string | number)[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

/** Names longer than this get no "did you mean" hint (the edit distance is quadratic in the lengths). */
const HINT_NAME_CHARS = 64;
/** Candidates compared for a hint, at most. */
const HINT_CANDIDATES = 200;

function nearest(name: string, all: readonly string[]): string | undefined {
  if (name.length > HINT_NAME_CHARS) return undefined;
  const candidates = all.filter((c) => c.length <= HINT_NAME_CHARS).slice(0, HINT_CANDIDATES);
  const distance = (a: string, b: string) => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0]++;
      for (let j = 1; j <= b.length; j++) {
        const current = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = current;
      }
    }
    return row[b.length];
  };
  const best = candidates.map((c) => [c, distance(name, c)] as const).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= Math.max(1, Math.floor(name.length / 3)) ? best[0] : undefined;
}

/** Names joined for a message, the middle of a long list elided. */
function listed(names: readonly string[], separator: string): string {
  return names.length <= 8 ? names.join(separator) : [...names.slice(0, 4), `… ${names.length - 8} more …`, ...names.slice(-4)].join(separator);
}

/** Whether a config gives a parameter, literally or as `<name>_path`. */
const gives = (config: Record<string, unknown>, name: string) => config[name] !== undefined || config[`${name}_path`] !== undefined;

/** Thrown once enough issues are found: checking stops there. */
class EnoughIssues extends Error {}

/** Hands each issue of the steps to `add` (which throws EnoughIssues once it has as many as wanted). */
function checkSteps(doc: WorkflowDocument, add: (issue: WorkflowIssue) => void): void {
  const order = new Map<string, number>();
  doc.steps.forEach((name, i) => {
    if (order.has(name)) add({ code: WF.duplicateStep, message: `step '${name}' is listed twice in steps (a step runs once)`, path: ['steps', i] });
    else order.set(name, i);
    if (!Object.hasOwn(doc.step_configs, name)) {
      const hint = nearest(name, Object.keys(doc.step_configs));
      add({ code: WF.unknownStep, message: `step '${name}' has no entry in step_configs`, path: ['steps', i], ...(hint ? { hint: `did you mean '${hint}'?` } : {}) });
    }
  });
  const activities = STEP_TEMPLATES.map((t) => t.activity_name);
  const roots: ReadonlySet<string> = new Set(order.keys());
  const stepNames = [...order.keys()];
  // One hint per unknown name: a document may name the same missing step 100,000 times.
  const hints = new Map<string, string | undefined>();
  const stepHint = (name: string): { hint: string } | object => {
    if (!hints.has(name)) {
      const near = nearest(name, stepNames);
      hints.set(name, near && `did you mean '${near}'?`);
    }
    const hint = hints.get(name);
    return hint ? { hint } : {};
  };
  for (const [name, config] of Object.entries(doc.step_configs)) {
    const at = ['step_configs', name];
    const template = stepTemplate(config.activity);
    if (!template) {
      const hint = nearest(config.activity, activities);
      add({ code: WF.unknownActivity, message: `unknown activity '${config.activity}'`, path: [...at, 'activity'], hint: hint ? `did you mean '${hint}'?` : `known activities: ${activities.join(', ')}` });
      continue;
    }
    for (const p of template.parameters) {
      if (!p.required || gives(config, p.name) || p.alternatives?.some((a) => gives(config, a))) continue;
      const either = [p.name, `${p.name}_path`, ...(p.alternatives ?? [])].join("', '");
      add({ code: WF.missingParameter, message: `step '${name}' (${config.activity}) is missing required parameter '${p.name}' (give '${either}')`, path: at });
    }
    const position = order.get(name) ?? Infinity;
    const earlier = (step: string) => (order.get(step) ?? Infinity) < position;
    for (const use of pathUses(config)) {
      const checked = checkPath(use.expression);
      if ('error' in checked) {
        add({ code: WF.badPath, message: checked.error, path: [...at, ...use.at] });
        continue;
      }
      const parsed = checked.path;
      if (parsed.root === INIT_PARAMS || earlier(parsed.root)) continue;
      const known = order.has(parsed.root);
      add({
        code: WF.pathNamesLaterStep,
        message: known
          ? `path '${use.expression}' names step '${parsed.root}', which runs after '${name}'`
          : `path '${use.expression}' names step '${parsed.root}', which is not in steps`,
        path: [...at, ...use.at],
        ...(known ? {} : stepHint(parsed.root)),
      });
    }
    for (const literal of stringLiterals(config)) {
      for (const ref of templateReferences(literal.text, roots)) {
        if (ref.root !== INIT_PARAMS && !earlier(ref.root)) {
          add({ code: WF.pathNamesLaterStep, message: `reference '{{ ${ref.text} }}' names step '${ref.root}', which runs after '${name}'`, path: [...at, ...literal.at] });
        }
      }
    }
    for (const target of template.targets?.(config) ?? []) {
      if (target.step === undefined) continue;
      const step = typeof target.step === 'string' ? target.step : '';
      if (!order.has(step)) {
        add({ code: WF.unknownTarget, message: `${config.activity} '${name}': ${target.key} '${step}' is not a step of this workflow`, path: [...at, target.key], ...stepHint(step) });
      } else if (order.get(step)! <= position) {
        const loop = listed(doc.steps.slice(order.get(step)!, position + 1), ' → ');
        add({ code: WF.cycle, message: `cycle: ${target.key} of '${name}' goes back to '${step}' (${loop} → ${step}); branches may only jump forward`, path: [...at, target.key] });
      }
    }
  }
}

/** Why a document is too large to check, or null: measured no further than the bound. */
function oversized(value: unknown): WorkflowIssue | null {
  try {
    new Budget('the workflow document', MAX_WORKFLOW_DOCUMENT_CHARS).measure(value);
    return null;
  } catch (error) {
    if (!(error instanceof StepBoundError)) throw error;
    return { code: WF.shape, message: `${error.message}: split it, or pass large values as parameters`, path: [] };
  }
}

/**
 * Validates a workflow document: its size, its shape, then activities, parameters, paths,
 * branch targets and cycles. With `maxIssues`, checking stops once that many are found.
 */
export function checkWorkflow(value: unknown, maxIssues = Infinity): { document: WorkflowDocument | null; issues: WorkflowIssue[] } {
  const tooLarge = oversized(value);
  if (tooLarge) return { document: null, issues: [tooLarge] };
  const parsed = WorkflowDocumentSchema.safeParse(value);
  if (!parsed.success) {
    return {
      document: null,
      issues: parsed.error.issues.map((issue) => ({ code: WF.shape, message: issue.message, path: issue.path.filter((p): p is string | number => typeof p !== 'symbol') })),
    };
  }
  const issues: WorkflowIssue[] = [];
  try {
    checkSteps(parsed.data, (issue) => {
      if (issues.push(issue) >= maxIssues) throw new EnoughIssues();
    });
  } catch (error) {
    if (!(error instanceof EnoughIssues)) throw error;
  }
  return { document: parsed.data, issues };
}

/** Issues a one-line refusal lists (a document may have 100,000; `jetty lint` lists them all). */
export const MAX_LISTED_ISSUES = 20;

/** The issues a one-line refusal needs: checking stops one past what it lists. */
export const checkForRefusal = (value: unknown) => checkWorkflow(value, MAX_LISTED_ISSUES + 1);

/** Issues as `where: message; …` for one-line refusals (REST 422, an invalid child workflow), the first MAX_LISTED_ISSUES of them. */
export function describeIssues(issues: readonly WorkflowIssue[], prefix: (string | number)[] = []): string {
  const shown = issues.slice(0, MAX_LISTED_ISSUES).map((i) => describeIssue(i, prefix));
  return issues.length > MAX_LISTED_ISSUES ? `${shown.join('; ')}; and more (jetty lint lists every issue)` : shown.join('; ');
}

/** The first issue as `where: message`, for one-line refusals (REST 422). */
export function describeIssue(issue: WorkflowIssue, prefix: (string | number)[] = []): string {
  const where = formatJsonPath([...prefix, ...issue.path]) || '(document)';
  return `${where}: ${issue.message}${issue.hint ? ` (${issue.hint})` : ''}`;
}
