import type { SuggestionCell, SuggestionEvidence, SuggestionSetState, SuggestionVerdict } from '../../../shared/evaluation-suggestions';
import { nowIso, type StoreContext, writeTransaction } from './context';
import { StoreError } from './errors';
import { randomTrajectoryId } from './ids';

/** A stored suggestion set (its suggestions apart). */
export interface SuggestionSetRecord {
  id: string;
  evaluation_id: string;
  state: SuggestionSetState;
  error: string | null;
  model: string;
  runbook_hash: string;
  owner: string | null;
  created_at: string;
  ended_at: string | null;
}

/** A proposal as the analysis agent made it. */
export interface ProposedEdit {
  lens: string;
  title: string;
  rationale: string;
  evidence: SuggestionEvidence[];
  find: string;
  replace: string;
}

export type SuggestionState = 'evaluating' | 'evaluated' | 'failed' | 'dropped';

export interface SuggestionRecord extends ProposedEdit {
  set_id: string;
  number: number;
  state: SuggestionState;
  reason: string | null;
  edited_hash: string | null;
  reevaluation_id: string | null;
  verdict: SuggestionVerdict | null;
  cells: SuggestionCell[];
}

type SuggestionRow = Omit<SuggestionRecord, 'evidence' | 'cells'> & { evidence: string; cells: string };

const SET_COLUMNS = 'id, evaluation_id, state, error, model, runbook_hash, owner, created_at, ended_at';

const fromRow = (row: SuggestionRow): SuggestionRecord => ({ ...row, evidence: JSON.parse(row.evidence) as SuggestionEvidence[], cells: JSON.parse(row.cells) as SuggestionCell[] });

export type Suggestions = ReturnType<typeof suggestionsRepository>;

/**
 * Suggestion sets and their suggestions (migration 15). A set is written when it is asked
 * for (analyzing, owned by its process); the analysis' outcome — the proposals kept and
 * the ones dropped with their reasons — in one transaction with the set's next state; each
 * kept suggestion's re-evaluation id is committed once that evaluation is stored, and its
 * verdict and figures when it ends. What the model wrote is redacted of the shared secrets.
 */
export function suggestionsRepository(ctx: StoreContext) {
  const { db } = ctx;
  const redactor = (id: string) => ctx.redactorFor(id);
  const sql = {
    insertSet: db.prepare(
      `INSERT INTO suggestion_sets (id, evaluation_id, state, model, runbook_hash, owner, created_at, updated_at)
       VALUES (@id, @evaluation_id, 'analyzing', @model, @runbook_hash, @owner, @now, @now)`,
    ),
    exists: db.prepare<[string], number>('SELECT 1 FROM suggestion_sets WHERE id = ?').pluck(),
    getSet: db.prepare<[string], SuggestionSetRecord>(`SELECT ${SET_COLUMNS} FROM suggestion_sets WHERE id = ?`),
    setsOf: db.prepare<[string], SuggestionSetRecord>(`SELECT ${SET_COLUMNS} FROM suggestion_sets WHERE evaluation_id = ? ORDER BY created_at DESC, id`),
    live: db.prepare<[], SuggestionSetRecord>(`SELECT ${SET_COLUMNS} FROM suggestion_sets WHERE state IN ('analyzing', 'evaluating')`),
    setState: db.prepare(
      `UPDATE suggestion_sets SET state = @state, error = @error, updated_at = @now, ended_at = CASE WHEN @state IN ('ready', 'failed') THEN @now ELSE NULL END
       WHERE id = @id AND state IN ('analyzing', 'evaluating')`,
    ),
    setOwner: db.prepare('UPDATE suggestion_sets SET owner = @owner, updated_at = @now WHERE id = @id AND owner IS @previous'),
    insert: db.prepare(
      `INSERT INTO suggestions (set_id, number, state, lens, title, rationale, evidence, find, replace, reason, edited_hash)
       VALUES (@set_id, @number, @state, @lens, @title, @rationale, @evidence, @find, @replace, @reason, @edited_hash)`,
    ),
    suggestions: db.prepare<[string], SuggestionRow>('SELECT * FROM suggestions WHERE set_id = ? ORDER BY number'),
    started: db.prepare("UPDATE suggestions SET reevaluation_id = @reevaluation_id WHERE set_id = @set_id AND number = @number AND state = 'evaluating'"),
    end: db.prepare(
      `UPDATE suggestions SET state = @state, reason = @reason, verdict = @verdict, cells = @cells
       WHERE set_id = @set_id AND number = @number AND state = 'evaluating'`,
    ),
  };

  const requireSet = (id: string): SuggestionSetRecord => {
    const row = sql.getSet.get(id);
    if (!row) throw new StoreError('not_found', `No suggestion set '${id}'.`);
    return row;
  };

  return {
    /** Stores a set being analysed; returns its id. */
    create: writeTransaction(db, (input: { evaluation_id: string; model: string; runbook_hash: string; owner: string }): string => {
      let id = randomTrajectoryId();
      while (sql.exists.get(id)) id = randomTrajectoryId();
      sql.insertSet.run({ id, ...input, now: nowIso() });
      return id;
    }),
    get: (id: string): SuggestionSetRecord | null => sql.getSet.get(id) ?? null,
    require: requireSet,
    /** An evaluation's sets, newest first. */
    setsOf: (evaluationId: string): SuggestionSetRecord[] => sql.setsOf.all(evaluationId),
    suggestions: (setId: string): SuggestionRecord[] => sql.suggestions.all(setId).map(fromRow),
    /**
     * The analysis' outcome, in one transaction with the set's next state: the kept edits
     * (numbered from 1, evaluating, with their edited text's hash) and the dropped ones with
     * their reasons; `evaluating` when some were kept, else `ready`.
     */
    analysed: writeTransaction(db, (setId: string, kept: readonly (ProposedEdit & { edited_hash: string })[], dropped: readonly (ProposedEdit & { reason: string })[]): void => {
      requireSet(setId);
      const r = redactor(setId);
      const row = (edit: ProposedEdit, number: number) => ({
        set_id: setId,
        number,
        lens: edit.lens,
        title: r.redact(edit.title),
        rationale: r.redact(edit.rationale),
        evidence: JSON.stringify(edit.evidence),
        find: r.redact(edit.find),
        replace: r.redact(edit.replace),
      });
      kept.forEach((edit, i) => sql.insert.run({ ...row(edit, i + 1), state: 'evaluating', reason: null, edited_hash: edit.edited_hash }));
      dropped.forEach((edit, i) => sql.insert.run({ ...row(edit, kept.length + i + 1), state: 'dropped', reason: r.redact(edit.reason), edited_hash: null }));
      sql.setState.run({ id: setId, state: kept.length > 0 ? 'evaluating' : 'ready', error: null, now: nowIso() });
    }),
    /** Commits the evaluation that evaluates a kept edit. */
    reevaluationStarted(setId: string, number: number, evaluationId: string): void {
      sql.started.run({ set_id: setId, number, reevaluation_id: evaluationId });
    },
    /** A kept edit's re-evaluation ended: its verdict and figures, or why it could not be evaluated (once). */
    evaluated(setId: string, number: number, end: { verdict: SuggestionVerdict; cells: SuggestionCell[] } | { reason: string }): boolean {
      const result =
        'reason' in end
          ? { state: 'failed', reason: redactor(setId).redact(end.reason), verdict: null, cells: '[]' }
          : { state: 'evaluated', reason: null, verdict: end.verdict, cells: JSON.stringify(end.cells) };
      return sql.end.run({ set_id: setId, number, ...result }).changes === 1;
    },
    /** Moves a set on (analyzing → evaluating → ready, or failed with `error`); false if it had ended. */
    setState(id: string, state: SuggestionSetState, error: string | null = null): boolean {
      return sql.setState.run({ id, state, error: error === null ? null : redactor(id).redact(error), now: nowIso() }).changes === 1;
    },
    /** Sets still analysing or evaluating whose owner is not alive, each claimed for `owner` (another process may race). */
    claimInterrupted(owner: string, isAlive: (owner: string) => boolean): SuggestionSetRecord[] {
      return sql.live
        .all()
        .filter((row) => row.owner !== owner && (row.owner === null || !isAlive(row.owner)))
        .filter((row) => sql.setOwner.run({ id: row.id, owner, previous: row.owner, now: nowIso() }).changes === 1);
    },
  };
}
