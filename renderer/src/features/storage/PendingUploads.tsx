import { apiClient } from '../../stores/connection';
import { formatBytes } from '../artifacts/ArtifactList';
import { usePendingUploads } from './use-storage';

/** Artifacts still waiting for their upload: why the last attempt failed, when the next is due, and Retry. */
export function PendingUploads({ collection }: { collection: string }) {
  const { uploads, reload } = usePendingUploads(collection);
  const retry = (one?: { trajectoryId: string; path: string }) => void apiClient()['storage.retry']({ collection, ...one }).then(reload);
  if (uploads.length === 0) return <p className="muted small" data-pending-uploads="0">No uploads pending.</p>;
  return (
    <div className="pending-uploads" data-pending-uploads={uploads.length}>
      <div className="pending-uploads-head">
        <strong>
          {uploads.length} upload{uploads.length === 1 ? '' : 's'} pending
        </strong>
        <button type="button" className="button button-small" onClick={() => retry()}>
          Retry all now
        </button>
      </div>
      <ul role="list">
        {uploads.map((u) => (
          <li key={`${u.trajectoryId}/${u.path}`} data-pending-upload={`${u.trajectoryId}/${u.path}`}>
            <code>
              {u.trajectoryId}/{u.path}
            </code>{' '}
            <span className="muted">
              {formatBytes(u.size)} → {u.location}
            </span>
            {u.lastError ? (
              <p className="small upload-error">
                {u.attempts} attempt{u.attempts === 1 ? '' : 's'} failed: {u.lastError}
                {u.nextAttemptAt && <span className="muted"> — next try {new Date(u.nextAttemptAt).toLocaleTimeString()}</span>}
              </p>
            ) : (
              <p className="small muted">waiting for its first attempt</p>
            )}
            <button type="button" className="button button-small button-quiet" onClick={() => retry({ trajectoryId: u.trajectoryId, path: u.path })}>
              Retry
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
