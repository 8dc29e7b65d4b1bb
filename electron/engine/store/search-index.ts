import type { EventRow } from './events';
import type { StoreContext } from './context';
import { writeTransaction } from './context';
import { eventSearchText, fileSearchText, messageSearchText, NOT_TOKEN } from './search-text';

/** A search_index rowid is `n * LOCAL_SPAN + local` (see migration 12). */
const LOCAL_SPAN = 2 ** 24;
/** Locals from here on are documents (messages, result files); below, event seqs. */
const FIRST_DOCUMENT = 2 ** 23;
/** Trajectories whose first occurrences are remembered (the ones written most recently). */
const REMEMBERED_TRAJECTORIES = 64;
/** Distinct words remembered per trajectory; past it, later words are indexed wherever they occur. */
const REMEMBERED_WORDS = 100_000;

export type SearchDocumentKind = 'message' | 'artifact';

/** Where a search_index row came from. */
export type IndexedRecord = { trajectoryId: string; seq: number } | { trajectoryId: string; kind: SearchDocumentKind; ref: string };

export type SearchIndex = ReturnType<typeof searchIndexRepository>;

/**
 * The full-text index (migration 12). A trajectory's row for a record holds the words that
 * record was the first of the trajectory to hold (its first occurrences): a word's doclist
 * has about one entry per trajectory holding it, however many events repeat it, so finding
 * the trajectories that hold a word costs what they number, not what their events number,
 * and that entry is where the word first appears. Rows are written beside the records they
 * index, in the caller's transaction, from their redacted text. Which words a trajectory
 * already holds is remembered per trajectory for those written lately (token → the record
 * that brought it, so a batch written again after a failed commit indexes the same words
 * again); a trajectory written after it was forgotten may index a word twice, which
 * changes nothing a search finds.
 */
export function searchIndexRepository(ctx: StoreContext) {
  const sql = {
    number: ctx.db.prepare<[string], number>('SELECT n FROM search_trajectories WHERE trajectory_id = ?').pluck(),
    // Each trajectory numbered below the last: the newest have the lowest rowids, where FTS5 starts its scans.
    addNumber: ctx.db.prepare<[string], number>('INSERT INTO search_trajectories (n, trajectory_id) SELECT coalesce(min(n), 0) - 1, ? FROM search_trajectories RETURNING n').pluck(),
    insert: ctx.db.prepare<[number, string]>('INSERT INTO search_index (rowid, text) VALUES (?, ?)'),
    document: ctx.db.prepare<[string, string, string], number>('SELECT local FROM search_documents WHERE trajectory_id = ? AND kind = ? AND ref = ?').pluck(),
    documentAt: ctx.db.prepare<[string, number], { kind: SearchDocumentKind; ref: string }>('SELECT kind, ref FROM search_documents WHERE trajectory_id = ? AND local = ?'),
    nextLocal: ctx.db.prepare<[number, string], number>('SELECT coalesce(max(local), ?) + 1 FROM search_documents WHERE trajectory_id = ?').pluck(),
    addDocument: ctx.db.prepare<[string, number, string, string]>('INSERT INTO search_documents (trajectory_id, local, kind, ref) VALUES (?, ?, ?, ?)'),
    firstHit: ctx.db.prepare<[string, number, number], number>('SELECT rowid FROM search_index WHERE search_index MATCH ? AND rowid >= ? AND rowid < ? ORDER BY rowid LIMIT 1').pluck(),
    backlogNext: ctx.db.prepare<[], { trajectory_id: string; through_seq: number; next_seq: number }>('SELECT trajectory_id, through_seq, next_seq FROM search_backlog LIMIT 1'),
    backlogSet: ctx.db.prepare<[number, string]>('UPDATE search_backlog SET next_seq = ? WHERE trajectory_id = ?'),
    backlogDone: ctx.db.prepare<[string]>('DELETE FROM search_backlog WHERE trajectory_id = ?'),
    backlogEvents: ctx.db.prepare<[string, number, number, number], { seq: number; step: string | null; payload: string }>(
      'SELECT seq, step, payload FROM events WHERE trajectory_id = ? AND seq >= ? AND seq <= ? ORDER BY seq LIMIT ?',
    ),
    unindexedMessages: ctx.db.prepare<[string, string], { hash: string; body: string }>(
      "SELECT hash, body FROM conversation_messages m WHERE trajectory_id = ? AND NOT EXISTS (SELECT 1 FROM search_documents d WHERE d.trajectory_id = ? AND d.kind = 'message' AND d.ref = m.hash)",
    ),
  };

  /** Per trajectory (most recently written last), each word it holds → the record that first held it. */
  const remembered = new Map<string, Map<string, number>>();
  const wordsOf = (trajectoryId: string): Map<string, number> => {
    let words = remembered.get(trajectoryId);
    if (words) remembered.delete(trajectoryId);
    else {
      words = new Map();
      if (remembered.size >= REMEMBERED_TRAJECTORIES) remembered.delete(remembered.keys().next().value!);
    }
    remembered.set(trajectoryId, words);
    return words;
  };

  /** The words of `text` the trajectory holds first in record `local`, space-separated. */
  function firstOccurrences(words: Map<string, number>, local: number, text: string): string {
    const fresh = new Set<string>();
    for (const word of text.toLowerCase().split(NOT_TOKEN)) {
      if (word === '' || fresh.has(word)) continue;
      const at = words.get(word);
      if (at === undefined) {
        if (words.size < REMEMBERED_WORDS) words.set(word, local);
        fresh.add(word);
      } else if (at === local) fresh.add(word);
    }
    return [...fresh].join(' ');
  }

  /** The trajectory's number in the index, given one on first use (inside the caller's transaction: never cached, as a rollback takes it back). */
  const numberOf = (trajectoryId: string): number => sql.number.get(trajectoryId) ?? sql.addNumber.get(trajectoryId)!;

  const indexEvent = (n: number, words: Map<string, number>, seq: number, step: string | null, payload: string): void => {
    if (seq < 1 || seq >= FIRST_DOCUMENT) return; // past 8 million events, a trajectory's later events are not searchable
    const text = firstOccurrences(words, seq, eventSearchText(step, payload));
    if (text) sql.insert.run(n * LOCAL_SPAN + seq, text);
  };

  /** Indexes a document of a trajectory once (its text redacted here); a document indexed before is left as it is. */
  const indexDocument = (trajectoryId: string, kind: SearchDocumentKind, ref: string, text: string): void => {
    if (sql.document.get(trajectoryId, kind, ref) !== undefined) return;
    const n = numberOf(trajectoryId);
    const local = sql.nextLocal.get(FIRST_DOCUMENT - 1, trajectoryId)!;
    if (local >= LOCAL_SPAN) return;
    sql.addDocument.run(trajectoryId, local, kind, ref);
    const words = firstOccurrences(wordsOf(trajectoryId), local, ctx.redactorFor(trajectoryId).redact(text));
    if (words) sql.insert.run(n * LOCAL_SPAN + local, words);
  };

  /** Indexes up to `maxEvents` events of a trajectory in the backlog, in seq order (and its messages once its events are done); false when the backlog is empty. */
  const indexBacklogStep = writeTransaction(ctx.db, (maxEvents: number): boolean => {
    const next = sql.backlogNext.get();
    if (!next) return false;
    const { trajectory_id: id, through_seq: through, next_seq: from } = next;
    const n = numberOf(id);
    const words = wordsOf(id);
    const events = sql.backlogEvents.all(id, from, through, maxEvents);
    for (const e of events) indexEvent(n, words, e.seq, e.step, e.payload);
    const last = events.at(-1)?.seq ?? through;
    if (last < through) sql.backlogSet.run(last + 1, id);
    else {
      for (const m of sql.unindexedMessages.all(id, id)) indexDocument(id, 'message', m.hash, messageSearchText(m.body));
      sql.backlogDone.run(id);
    }
    return true;
  });

  return {
    /** Indexes event rows as they are inserted (inside the caller's transaction). */
    indexEvents(rows: readonly EventRow[]): void {
      let current: string | null = null;
      let n = 0;
      let words = new Map<string, number>();
      for (const [trajectoryId, seq, , , , step, payload] of rows) {
        if (trajectoryId !== current) {
          current = trajectoryId;
          n = numberOf(trajectoryId);
          words = wordsOf(trajectoryId);
        }
        indexEvent(n, words, seq, step, payload);
      }
    },
    /** Indexes a conversation message newly stored (its body is redacted already). */
    indexMessage(trajectoryId: string, hash: string, body: string): void {
      indexDocument(trajectoryId, 'message', hash, messageSearchText(body));
    },
    /** Indexes a result file's text (redacted here), once per path. */
    indexFile: writeTransaction(ctx.db, (trajectoryId: string, path: string, text: string): void => indexDocument(trajectoryId, 'artifact', path, fileSearchText(text))),
    /** Whether a result file of the trajectory is indexed. */
    hasFile: (trajectoryId: string, path: string): boolean => sql.document.get(trajectoryId, 'artifact', path) !== undefined,
    indexBacklogStep,
    /** SQL for the ids of trajectories holding every one of `terms` FTS5 terms, bound as @t0, @t1, … */
    matchingIds: (terms: number): string =>
      `SELECT trajectory_id FROM search_trajectories WHERE n IN (${Array.from({ length: terms }, (_, i) => `SELECT rowid >> 24 FROM search_index WHERE search_index MATCH @t${i}`).join(' INTERSECT ')})`,
    /** The trajectory's first record (events by seq, then documents) holding any of the FTS5 terms, or null. */
    firstHit(trajectoryId: string, terms: readonly string[]): IndexedRecord | null {
      const n = sql.number.get(trajectoryId);
      if (n === undefined) return null;
      const rowid = sql.firstHit.get(terms.join(' OR '), n * LOCAL_SPAN, (n + 1) * LOCAL_SPAN);
      if (rowid === undefined) return null;
      const local = rowid - n * LOCAL_SPAN;
      if (local < FIRST_DOCUMENT) return { trajectoryId, seq: local };
      const doc = sql.documentAt.get(trajectoryId, local);
      return doc ? { trajectoryId, ...doc } : null;
    },
  };
}
