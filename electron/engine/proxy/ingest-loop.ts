import type { JournalIngester } from './journal-ingester';
import type { StoredCalls } from './record-to-store';

export interface IngestLoop {
  /** Calls were journaled: ingest within `flushMs`. */
  wake(): void;
  /** Ingests everything left (the writer is closed) and stops. */
  close(): void;
}

/**
 * Runs an ingester a transaction per `flushMs` while calls keep coming: woken by the
 * writer (at most once per `flushMs`), it goes on every `flushMs` as long as the last run
 * found anything (or found the disk full, to try again), then waits to be woken. Used by
 * the recording thread, and by the proxy's own thread when that thread is gone.
 */
export function createIngestLoop(
  ingester: JournalIngester,
  options: { flushMs: number; onReport(report: StoredCalls): void; onError(error: unknown): void },
): IngestLoop {
  let timer: NodeJS.Timeout | null = null;
  const schedule = () => {
    timer ??= setTimeout(run, options.flushMs);
  };
  const ingest = (final: boolean): StoredCalls | null => {
    try {
      const report = ingester.ingest(final);
      options.onReport(report);
      return report;
    } catch (error) {
      options.onError(error);
      return null;
    }
  };
  function run(): void {
    timer = null;
    const report = ingest(false);
    if (!report || report.ids.length > 0 || report.failures.length > 0 || report.diskFull) schedule();
  }
  return {
    wake: schedule,
    close() {
      if (timer) clearTimeout(timer);
      timer = null;
      ingest(true);
    },
  };
}
