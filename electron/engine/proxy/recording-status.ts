import type { RecordingStatus } from '../../../shared/contract';
import type { CallFailure } from './record-to-store';

export interface RecordingStatusKeeper {
  /** `count` more calls are stored. */
  stored(count: number): void;
  /** A call could not be recorded: logged with its reason and counted. */
  failed(failure: CallFailure): void;
  /** Whether the disk is full, as the journal (`journal`) or the store (`store`) last found. */
  diskFull(source: 'journal' | 'store', full: boolean): void;
  readonly isDiskFull: boolean;
  snapshot(): RecordingStatus;
}

/**
 * The recording's counts since start (the engine's `recording.status`): calls stored, calls
 * that could not be recorded and the last reason, and whether the disk is full. `onChange`
 * gets each new state (a few a second at most: the recording thread reports per transaction).
 */
export function createRecordingStatus(onChange: (status: RecordingStatus) => void = () => {}): RecordingStatusKeeper {
  let recorded = 0;
  let failed = 0;
  let lastFailure: RecordingStatus['lastFailure'] = null;
  const full = { journal: false, store: false };
  const snapshot = (): RecordingStatus => ({ recorded, failed, lastFailure, diskFull: full.journal || full.store });
  return {
    stored(count) {
      if (count === 0) return;
      recorded += count;
      onChange(snapshot());
    },
    failed({ id, reason }) {
      failed++;
      lastFailure = { id, reason, at: new Date().toISOString() };
      console.error(`Recording passthrough call ${id} failed: ${reason}`);
      onChange(snapshot());
    },
    diskFull(source, value) {
      if (full[source] === value) return;
      const before = full.journal || full.store;
      full[source] = value;
      const after = full.journal || full.store;
      if (before !== after) console.error(after ? 'Recording passthrough calls: the disk is full; new calls are refused (507) until there is room.' : 'Recording passthrough calls: there is room on the disk again.');
      onChange(snapshot());
    },
    get isDiskFull() {
      return full.journal || full.store;
    },
    snapshot,
  };
}
