import type { TrajectoryStatus } from '../../../shared/trajectory';

/** A trajectory's status as a coloured pill. */
export function StatusPill({ status }: { status: TrajectoryStatus }) {
  return (
    <span className={`pill status-${status}`} data-status={status}>
      {status}
    </span>
  );
}
