import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { isOwnerProcessAlive, type Store } from '../store';
import { decodeFrames, listSegments, OWNER_FILE, readFrom } from './call-journal';
import { storeCalls, type StoredCalls } from './record-to-store';

export interface JournalIngester {
  /**
   * Stores the calls a writer's folder holds beyond those already stored, a transaction per
   * segment, and deletes each segment the writer has moved past. `final`: the writer is
   * closed (or dead), so every segment is complete and the folder goes once all is stored.
   * On a full disk it stops and keeps the rest for the next call.
   */
  ingest(final: boolean): StoredCalls;
}

export function createJournalIngester(store: Store, dir: string): JournalIngester {
  /** How far each live segment has been stored. */
  const stored = new Map<string, number>();
  return {
    ingest(final) {
      const report: StoredCalls = { ids: [], failures: [], diskFull: false };
      const segments = listSegments(dir);
      for (const [i, file] of segments.entries()) {
        const from = stored.get(file) ?? 0;
        const { calls, consumed } = decodeFrames(readFrom(file, from));
        if (calls.length > 0) {
          const result = storeCalls(store, calls);
          report.ids.push(...result.ids);
          if (result.diskFull) return { ...report, diskFull: true };
          report.failures.push(...result.failures);
        }
        if (final || i < segments.length - 1) {
          // Complete: what is left past its last whole frame is a call torn by a crash, never answered.
          rmSync(file, { force: true });
          stored.delete(file);
        } else stored.set(file, from + consumed);
      }
      if (final) rmSync(dir, { recursive: true, force: true });
      return report;
    },
  };
}

/**
 * Start-up recovery: stores what the journals of proxies that are gone (crashed, killed)
 * left behind, then deletes them. Folders of live proxies (another process on the same
 * data folder, another proxy of this one) are left to their owners.
 */
export function recoverJournals(store: Store, root: string): StoredCalls {
  const report: StoredCalls = { ids: [], failures: [], diskFull: false };
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return report;
  }
  for (const name of names.filter((n) => !n.startsWith('.'))) {
    const dir = path.join(root, name);
    let owner: string | null = null;
    try {
      owner = readFileSync(path.join(dir, OWNER_FILE), 'utf8');
    } catch {
      // No owner file: a folder whose writer died while creating it.
    }
    if (owner !== null && isOwnerProcessAlive(owner)) continue;
    const result = createJournalIngester(store, dir).ingest(true);
    report.ids.push(...result.ids);
    report.failures.push(...result.failures);
    if (result.diskFull) return { ...report, diskFull: true };
  }
  return report;
}
