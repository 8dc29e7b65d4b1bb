import type { TrajectoryOriginRef } from '../../../../shared/trajectory-search';

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** A pulled or remotely run trajectory's origin: the remote's host, with where it lives there. */
export function OriginBadge({ origin }: { origin: TrajectoryOriginRef }) {
  return (
    <span className="origin-badge" data-origin={origin.base_url} title={`From ${origin.base_url}: ${origin.collection}/${origin.task}, run ${origin.remote_id} there`}>
      ↓ {hostOf(origin.base_url)}
    </span>
  );
}
