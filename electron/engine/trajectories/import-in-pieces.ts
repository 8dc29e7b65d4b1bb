import { setImmediate as nextTurn } from 'node:timers/promises';
import { upgradeEvent } from '../../../shared/trajectory-event-upgrade';
import type { Store } from '../store';

/**
 * Events stored per transaction when a long trajectory is imported: a piece takes a few
 * milliseconds, and other work (requests, a run's events) goes on between pieces, so a
 * 100,000-event import never holds the event loop for long.
 */
export const IMPORT_PIECE_EVENTS = 1000;

/** What a trajectory shows while its later pieces are being stored (and after, if a crash or a bad event stopped them). */
export const IMPORT_UNFINISHED = 'still being imported: if this stays, the import stopped before its last event; import the file again';

/**
 * Stores an export like `store.importTrajectory`, in pieces when it has more than
 * `pieceEvents` events: the header and the first piece, then each further piece in its own
 * transaction, yielding to the event loop in between. Until the last piece is in, the
 * trajectory shows status `failed` with IMPORT_UNFINISHED as its error; the last piece
 * sets its real status. A bad event stops the import there with the store's message.
 */
export async function importInPieces(store: Store, doc: unknown, pieceEvents = IMPORT_PIECE_EVENTS): Promise<string> {
  const record = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
  const events = Array.isArray(record.events) ? (record.events as unknown[]) : [];
  if (events.length <= pieceEvents) return store.importTrajectory(doc);
  const id = store.importTrajectory({ ...record, status: 'failed', error: IMPORT_UNFINISHED, events: events.slice(0, pieceEvents) });
  // Format 1's events are untyped: each later piece is upgraded as the first was by the import.
  const typed = typeof record.format_version === 'number' && record.format_version >= 2;
  for (let at = pieceEvents; at < events.length; at += pieceEvents) {
    await nextTurn();
    const piece = events.slice(at, at + pieceEvents);
    const last = at + pieceEvents >= events.length;
    store.continueImport(id, {
      events: typed ? piece : piece.map((e) => upgradeEvent(e as never)),
      header: last ? { status: record.status as never, error: (record.error as string | null | undefined) ?? null } : undefined,
    });
  }
  return id;
}
