import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { SuggestionEvidence, SuggestionSet, SuggestionSetState } from '../../../../shared/evaluation-suggestions';
import { isOwnerProcessAlive, processOwnerToken, type EvaluationRecord, type Store, type SuggestionRecord, type SuggestionSetRecord } from '../../store';
import type { ModelClient } from '../../workflows';
import { contentHash, EvaluationRequestError, runbookDigest } from '../definition';
import { cellReports } from '../figures';
import type { EvaluationService } from '../service';
import { analyseFailures, PROMPT_BOUND } from './analysis';
import { failedTrials, failureDigest } from './digest';
import { applyEdit } from './proposals';
import { editedCopyPath, removeEditedCopy, suggestionsDir, writeEditedCopy } from './scratch';
import { suggestionCells, verdictOf } from './verdict';

/** Why a suggestion cannot be asked for or applied; `conflict` when RUNBOOK.md changed since it was evaluated. */
export class SuggestionError extends Error {
  constructor(
    readonly code: 'invalid_input' | 'conflict',
    message: string,
  ) {
    super(message);
    this.name = 'SuggestionError';
  }
}

export interface SuggestionServiceDeps {
  store: Store;
  evaluations: EvaluationService;
  /** The passthrough, in process (as workflow model steps call it). */
  models: ModelClient;
  dataDir: string;
  /** Settings' default model, for an evaluation whose first cell names none. */
  defaultModel(): string | null | undefined;
  /** A set changed state. */
  onChange?(evaluationId: string, setId: string, state: SuggestionSetState): void;
}

const SHUTDOWN = 'shutdown';
const INTERRUPTED = 'interrupted: the process analysing the failures stopped before it ended; suggest fixes again';
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * "Suggest fixes": the analysis agent over an ended evaluation's failed trials proposes
 * runbook edits; each kept edit is evaluated — a copy of the runbook's folder with the edit
 * made, under the data folder, evaluated as any evaluation (the same cells, cases, trials and
 * concurrency; durable, resumable, listed) — one after the other, and offered with its
 * before/after figures per cell once its evaluation ended. A set survives a crash: a restart
 * resumes its evaluations and finishes it; an analysis cut short is failed, `interrupted`.
 */
export function createSuggestionService(deps: SuggestionServiceDeps) {
  const { store } = deps;
  const sets = store.suggestions();
  const evaluations = store.evaluations();
  const owner = processOwnerToken();
  const controller = new AbortController();
  const active = new Map<string, Promise<void>>();

  function moved(set: SuggestionSetRecord, state: SuggestionSetState, error: string | null = null): void {
    if (sets.setState(set.id, state, error)) deps.onChange?.(set.evaluation_id, set.id, state);
  }

  /** Which steps evidence may cite: those of the evaluation's failed trials' runs. */
  function evidenceCheck(record: EvaluationRecord) {
    const failed = new Set(failedTrials(evaluations.trials(record.id)).map((t) => t.trajectory_id));
    return (e: SuggestionEvidence): string | null => {
      if (!failed.has(e.trajectory_id)) return `evidence ${e.trajectory_id}: not a failed trial of this evaluation`;
      const event = store.listEvents(e.trajectory_id, { afterSeq: e.step - 1, limit: 1 })[0];
      return event?.seq === e.step ? null : `evidence ${e.trajectory_id}: it has no step ${e.step}`;
    };
  }

  async function analyse(set: SuggestionSetRecord): Promise<void> {
    const record = evaluations.require(set.evaluation_id);
    const { text } = await runbookDigest(record.runbook_path);
    if (contentHash(text) !== set.runbook_hash) throw new Error('RUNBOOK.md changed since it was evaluated: evaluate the new version, then suggest fixes for it');
    const digest = failureDigest(store, record, evaluations.trials(record.id), PROMPT_BOUND);
    const outcome = await analyseFailures({
      models: deps.models,
      model: set.model,
      key: `suggest-${set.id}`,
      runbook: text,
      digest,
      context: { runbook: text, evidenceProblem: evidenceCheck(record) },
      signal: controller.signal,
    });
    const kept = outcome.kept.map((edit) => ({ ...edit, edited_hash: contentHash(applyEdit(text, edit)!) }));
    sets.analysed(set.id, kept, outcome.dropped);
    deps.onChange?.(set.evaluation_id, set.id, kept.length > 0 ? 'evaluating' : 'ready');
  }

  /** Its end as a promise: followed here, resumed here when its process died, or already ended. */
  function ended(evaluationId: string): Promise<void> {
    const here = deps.evaluations.wait(evaluationId) ?? deps.evaluations.resumeInterrupted(evaluationId)[0]?.done;
    if (here) return here;
    if (evaluations.require(evaluationId).status !== 'running') return Promise.resolve();
    return Promise.reject(new Error('its evaluation is running in another Jetty process'));
  }

  /** Evaluates one kept edit (or follows its evaluation, after a restart) and records its figures. */
  async function evaluate(set: SuggestionSetRecord, record: EvaluationRecord, suggestion: SuggestionRecord): Promise<void> {
    // A crash between storing its evaluation and committing its id left the evaluation: adopted (the copy's path names it).
    let id = suggestion.reevaluation_id ?? evaluations.latestOf(editedCopyPath(deps.dataDir, set.id, suggestion.number, record.runbook_path))?.id ?? null;
    if (id && !suggestion.reevaluation_id) sets.reevaluationStarted(set.id, suggestion.number, id);
    if (!id) {
      const { text } = await runbookDigest(record.runbook_path);
      const edited = contentHash(text) === set.runbook_hash ? applyEdit(text, suggestion) : null;
      if (edited === null || contentHash(edited) !== suggestion.edited_hash) {
        sets.evaluated(set.id, suggestion.number, { reason: 'RUNBOOK.md changed since it was evaluated: the edit was not evaluated' });
        return;
      }
      const copy = await writeEditedCopy(deps.dataDir, set.id, suggestion.number, record.runbook_path, edited);
      const resumable = evaluations.resumable(record.id);
      try {
        const started = await deps.evaluations.start({
          runbookPath: copy,
          name: `${record.name.slice(0, 170)} · suggestion ${suggestion.number}`,
          cells: resumable.cells,
          cases: resumable.cases,
          trials: record.trials,
          concurrency: record.concurrency,
          timeoutSeconds: record.timeout_seconds ?? undefined,
        });
        id = started.id;
      } catch (error) {
        if (!(error instanceof EvaluationRequestError)) throw error;
        sets.evaluated(set.id, suggestion.number, { reason: `the edited runbook could not be evaluated: ${error.message}` });
        return;
      }
      sets.reevaluationStarted(set.id, suggestion.number, id);
      deps.onChange?.(set.evaluation_id, set.id, 'evaluating');
    }
    await ended(id);
    if (controller.signal.aborted) return;
    const after = evaluations.require(id);
    if (after.status === 'running') return; // stopped without an end (the engine closes): a restart follows it again
    if (after.status !== 'completed') {
      sets.evaluated(set.id, suggestion.number, { reason: `its evaluation ${after.status}${after.error ? `: ${after.error}` : ''}` });
    } else {
      const cells = suggestionCells(cellReports(record, evaluations.trials(record.id)), cellReports(after, evaluations.trials(id)), record.trials);
      sets.evaluated(set.id, suggestion.number, { verdict: verdictOf(cells), cells });
    }
    await removeEditedCopy(deps.dataDir, set.id, suggestion.number);
    deps.onChange?.(set.evaluation_id, set.id, 'evaluating');
  }

  async function evaluateAll(set: SuggestionSetRecord): Promise<void> {
    const record = evaluations.require(set.evaluation_id);
    for (const suggestion of sets.suggestions(set.id)) {
      if (controller.signal.aborted) return;
      if (suggestion.state === 'evaluating') await evaluate(set, record, suggestion);
    }
    if (controller.signal.aborted || sets.suggestions(set.id).some((s) => s.state === 'evaluating')) return;
    await rm(path.join(suggestionsDir(deps.dataDir), set.id), { recursive: true, force: true });
    moved(set, 'ready');
  }

  /** Works a set to its end in the background (analysis, then the evaluations); a failure fails the set. */
  function work(set: SuggestionSetRecord, analysing: boolean): Promise<void> {
    const done = (async () => {
      try {
        if (analysing) await analyse(set);
        if (sets.require(set.id).state === 'evaluating') await evaluateAll(set);
      } catch (error) {
        if (controller.signal.reason === SHUTDOWN) return;
        moved(set, 'failed', messageOf(error));
      }
    })().finally(() => active.delete(set.id));
    active.set(set.id, done);
    return done;
  }

  function view(set: SuggestionSetRecord): SuggestionSet {
    const suggestions = sets.suggestions(set.id).map((s) => {
      const trials = s.state === 'evaluating' && s.reevaluation_id ? evaluations.trials(s.reevaluation_id) : null;
      return {
        number: s.number,
        state: s.state,
        lens: s.lens,
        title: s.title,
        rationale: s.rationale,
        evidence: s.evidence,
        find: s.find,
        replace: s.replace,
        reason: s.reason,
        edited_hash: s.edited_hash,
        reevaluation_id: s.reevaluation_id,
        progress: trials ? { total: trials.length, ended: trials.filter((t) => t.state === 'ended').length } : null,
        verdict: s.verdict,
        cells: s.cells,
      };
    });
    const { owner: _owner, ...rest } = set;
    return { ...rest, trials_per_edit: evaluations.trials(set.evaluation_id).filter((t) => t.rerun_of === null).length, suggestions };
  }

  return {
    /** Stores a set for an ended evaluation with failures and works it in the background; SuggestionError when it cannot. */
    async suggest(evaluationId: string, model?: string): Promise<{ set: string; done: Promise<void> }> {
      const record = evaluations.require(evaluationId);
      if (record.status === 'running') throw new SuggestionError('invalid_input', 'the evaluation is still running: suggest fixes once it has ended');
      if (failedTrials(evaluations.trials(evaluationId)).length === 0) throw new SuggestionError('invalid_input', 'the evaluation has no failed trials to learn from');
      const chosen = model ?? record.cells[0]?.model ?? deps.defaultModel() ?? null;
      if (!chosen) throw new SuggestionError('invalid_input', 'no model to analyse with: name one, or set a default model in Settings');
      const now = await runbookDigest(record.runbook_path).catch(() => null);
      if (!now) throw new SuggestionError('invalid_input', 'RUNBOOK.md can no longer be read');
      if (now.hash !== record.content_hash) {
        throw new SuggestionError('conflict', `RUNBOOK.md changed since it was evaluated (sha256 ${record.content_hash.slice(0, 12)}…, now ${now.hash.slice(0, 12)}…): evaluate the new version, then suggest fixes for it`);
      }
      const id = sets.create({ evaluation_id: evaluationId, model: chosen, runbook_hash: record.content_hash, owner });
      deps.onChange?.(evaluationId, id, 'analyzing');
      return { set: id, done: work(sets.require(id), true) };
    },
    /** An evaluation's sets, newest first, with their suggestions and their evaluations' progress. */
    list(evaluationId: string): SuggestionSet[] {
      evaluations.require(evaluationId);
      return sets.setsOf(evaluationId).map(view);
    },
    get: (setId: string): SuggestionSet => view(sets.require(setId)),
    /**
     * Writes an evaluated suggestion's edit to the evaluation's RUNBOOK.md with `save` (the
     * workspace's checked write), only if the file is still the text that was evaluated.
     */
    async apply(setId: string, number: number, save: (file: string, text: string) => Promise<unknown>): Promise<{ path: string; hash: string }> {
      const set = sets.require(setId);
      const suggestion = sets.suggestions(setId).find((s) => s.number === number);
      if (!suggestion) throw new SuggestionError('invalid_input', `the set has no suggestion ${number}`);
      if (suggestion.state !== 'evaluated') {
        throw new SuggestionError('invalid_input', suggestion.state === 'evaluating' ? 'its evaluation has not ended: an edit is applied once its figures are in' : `suggestion ${number} was ${suggestion.state === 'dropped' ? 'dropped' : 'not evaluated'}: ${suggestion.reason ?? ''}`);
      }
      const record = evaluations.require(set.evaluation_id);
      const now = await runbookDigest(record.runbook_path).catch(() => null);
      if (!now) throw new SuggestionError('invalid_input', 'RUNBOOK.md can no longer be read');
      const edited = now.hash === set.runbook_hash ? applyEdit(now.text, suggestion) : null;
      if (edited === null || contentHash(edited) !== suggestion.edited_hash) {
        throw new SuggestionError('conflict', `RUNBOOK.md changed since it was evaluated (sha256 ${set.runbook_hash.slice(0, 12)}…, now ${now.hash.slice(0, 12)}…): the edit was not applied; evaluate the new version and suggest fixes for it`);
      }
      await save(record.runbook_path, edited);
      return { path: record.runbook_path, hash: suggestion.edited_hash };
    },
    /** Sets a dead process left: an analysis cut short is failed (interrupted), evaluations are followed to the set's end. */
    resumeInterrupted(): { id: string; done: Promise<void> }[] {
      return sets.claimInterrupted(owner, isOwnerProcessAlive).flatMap((set) => {
        if (set.state === 'analyzing') {
          moved(set, 'failed', INTERRUPTED);
          return [];
        }
        return [{ id: set.id, done: work(set, false) }];
      });
    },
    /** The end of a set this process works on, or null. */
    wait: (setId: string): Promise<void> | null => active.get(setId) ?? null,
    /** Stops working without recording an end (the next start resumes what it can); resolves once the work has stopped, which waits for the evaluations' own close. */
    async close(): Promise<void> {
      controller.abort(SHUTDOWN);
      await Promise.all(active.values());
    },
  };
}

export type SuggestionService = ReturnType<typeof createSuggestionService>;
