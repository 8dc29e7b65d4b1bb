import { SUGGESTION_LENSES, SUGGESTION_LIMITS, type SuggestionEvidence } from '../../../../shared/evaluation-suggestions';
import type { ProposedEdit } from '../../store';

/** What checking a proposal needs: the runbook's text, and whether a cited step is one of the evaluation's failed trials'. */
export interface ProposalContext {
  runbook: string;
  /** Why the step cannot be cited (not a failed trial of this evaluation, no such step), or null when it can. */
  evidenceProblem(evidence: SuggestionEvidence): string | null;
}

export type CheckedProposal = { ok: true; edit: ProposedEdit } | { ok: false; edit: ProposedEdit; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');

/** Where `find` occurs in `text`: the index of its only occurrence, or how many times it occurs (0, or 2 for "more than once"). */
export function onlyOccurrence(text: string, find: string): { index: number } | { count: 0 | 2 } {
  const index = text.indexOf(find);
  if (index < 0) return { count: 0 };
  return text.indexOf(find, index + 1) >= 0 ? { count: 2 } : { index };
}

/** `text` with the edit made; null when `find` does not occur exactly once. */
export function applyEdit(text: string, edit: Pick<ProposedEdit, 'find' | 'replace'>): string | null {
  const where = onlyOccurrence(text, edit.find);
  return 'index' in where ? text.slice(0, where.index) + edit.replace + text.slice(where.index + edit.find.length) : null;
}

/** A proposal as stored whatever its shape: each field taken as text and cut to its bound (what is kept of a refused one). */
function asEdit(raw: Record<string, unknown>): ProposedEdit {
  const evidence = Array.isArray(raw.evidence) ? raw.evidence : [];
  return {
    lens: text(raw.lens, 64),
    title: text(raw.title, SUGGESTION_LIMITS.title),
    rationale: text(raw.rationale, SUGGESTION_LIMITS.rationale),
    evidence: evidence
      .slice(0, SUGGESTION_LIMITS.evidence)
      .filter(isObject)
      .map((e) => ({ trajectory_id: text(e.trajectory_id, 64), step: typeof e.step === 'number' && Number.isInteger(e.step) ? e.step : -1 })),
    find: text(raw.find, SUGGESTION_LIMITS.find),
    replace: text(raw.replace, SUGGESTION_LIMITS.replace),
  };
}

/** Every reason a proposal cannot be evaluated: its lens, sizes, its edit of RUNBOOK.md, its evidence. */
function problemsOf(raw: Record<string, unknown>, edit: ProposedEdit, context: ProposalContext): string[] {
  const problems: string[] = [];
  const over = (field: 'title' | 'rationale' | 'find' | 'replace') => typeof raw[field] === 'string' && (raw[field] as string).length > SUGGESTION_LIMITS[field];
  if (!(SUGGESTION_LENSES as readonly string[]).includes(edit.lens)) problems.push(`lens must be one of ${SUGGESTION_LENSES.join(', ')}`);
  if (!edit.title.trim()) problems.push('title is required');
  if (!edit.rationale.trim()) problems.push('rationale is required');
  for (const field of ['title', 'rationale', 'find', 'replace'] as const) {
    if (over(field)) problems.push(`${field} is longer than ${SUGGESTION_LIMITS[field]} characters`);
  }
  if (!edit.find) problems.push('find is required (text of RUNBOOK.md to replace)');
  else if (!over('find')) {
    const where = onlyOccurrence(context.runbook, edit.find);
    if ('count' in where) problems.push(where.count === 0 ? 'find does not occur in RUNBOOK.md: copy the text to replace exactly' : 'find occurs more than once in RUNBOOK.md: include more context so it occurs once');
  }
  if (edit.find === edit.replace) problems.push('replace is the same as find: the edit changes nothing');
  const evidence = Array.isArray(raw.evidence) ? raw.evidence : null;
  if (!evidence || evidence.length === 0) problems.push('evidence must cite at least one step of a failed trial ({trajectory_id, step})');
  else if (evidence.length > SUGGESTION_LIMITS.evidence) problems.push(`evidence cites more than ${SUGGESTION_LIMITS.evidence} steps`);
  else {
    for (const e of edit.evidence) {
      const problem = e.step < 0 ? `evidence ${e.trajectory_id || '?'}: step must be an integer` : context.evidenceProblem(e);
      if (problem) problems.push(problem);
    }
    if (edit.evidence.length < evidence.length) problems.push('each evidence item is an object {trajectory_id, step}');
  }
  return problems;
}

/** A proposal checked: kept as an edit, or refused with every reason. */
export function checkProposal(raw: unknown, context: ProposalContext): CheckedProposal {
  if (!isObject(raw)) return { ok: false, edit: asEdit({}), reason: 'a suggestion is an object {lens, title, rationale, evidence, find, replace}' };
  const edit = asEdit(raw);
  const problems = problemsOf(raw, edit, context);
  return problems.length === 0 ? { ok: true, edit } : { ok: false, edit, reason: problems.join('; ') };
}

/** The proposals in a `propose_edits` call's arguments, or why they cannot be read. */
export function proposalsOf(argumentsText: string, maxChars: number): { proposals: unknown[] } | { error: string } {
  if (argumentsText.length > maxChars) return { error: `the call's arguments are longer than ${maxChars} characters: propose fewer, smaller edits` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(argumentsText || '{}');
  } catch {
    return { error: 'the arguments are not JSON' };
  }
  if (!isObject(parsed) || !Array.isArray(parsed.suggestions)) return { error: 'the arguments must be {"suggestions": [...]}' };
  return { proposals: parsed.suggestions };
}
