import { useConnection } from '../../stores/connection';

/** A thin banner while the connection is down and being retried. */
export function ReconnectBanner() {
  const status = useConnection((s) => s.status);
  if (status.state !== 'reconnecting' && status.state !== 'connecting') return null;
  const text =
    status.state === 'connecting'
      ? 'Connecting to Jetty…'
      : `Connection to Jetty lost. Retrying in ${Math.ceil(status.retryInMs / 1000)} s…`;
  return (
    <div className={`banner${status.state === 'reconnecting' ? ' banner-warning' : ''}`} role="status">
      {text}
    </div>
  );
}
