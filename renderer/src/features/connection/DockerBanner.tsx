import '../run/run-truth.css';
import { useDockerStatus } from './use-docker-status';

/** A banner while Docker cannot be reached: runs need it, so say so before one is attempted. */
export function DockerBanner() {
  const { status, recheck } = useDockerStatus();
  if (!status || status.available) return null;
  return (
    <div className="banner banner-warning docker-banner" role="alert" data-docker-host={status.host}>
      Runs need Docker, which is not reachable at <code>{status.host}</code>. {status.error}
      {status.fix && !status.error?.includes(status.fix) && <> — {status.fix}</>}{' '}
      <button type="button" className="button button-small" onClick={recheck}>
        Check again
      </button>
    </div>
  );
}
