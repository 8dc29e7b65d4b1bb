import type { CopyPlan } from '../../../../shared/storage-api';
import { apiClient } from '../../stores/connection';
import { formatBytes } from '../artifacts/ArtifactList';
import { useCopyProgress } from './use-storage';

const where = (plan: CopyPlan) => plan.from.map((f) => (f.location === 'local' ? 'the local data folder' : f.location)).join(' and ');

/** After a backend switch: "N artifacts (X MB) are in <old>; copy them to <new>?" — nothing moves unless asked. */
export function CopyOffer({ plan, onClose }: { plan: CopyPlan; onClose(): void }) {
  return (
    <div className="copy-offer" role="alertdialog" aria-modal="false" aria-label="Copy existing artifacts" data-copy-offer={plan.count}>
      <p>
        {plan.count} artifact{plan.count === 1 ? '' : 's'} ({formatBytes(plan.bytes)}) {plan.count === 1 ? 'is' : 'are'} in <code>{where(plan)}</code>; copy them to <code>{plan.to}</code>?
      </p>
      <p className="small muted">Until copied they stay where they are and are still read from there.</p>
      <div className="copy-offer-actions">
        <button type="button" className="button button-primary" onClick={() => void apiClient()['storage.copy']({ collection: plan.collection }).then(onClose)}>
          Copy {plan.count} artifact{plan.count === 1 ? '' : 's'}
        </button>
        <button type="button" className="button button-quiet" onClick={onClose}>
          Not now
        </button>
      </div>
    </div>
  );
}

/** A copy's progress bar, driven by `storage.progress` events. */
export function CopyProgressBar({ collection }: { collection: string }) {
  const progress = useCopyProgress(collection);
  if (!progress) return null;
  const share = progress.bytesTotal > 0 ? progress.bytesCopied / progress.bytesTotal : progress.total > 0 ? progress.copied / progress.total : 1;
  return (
    <div className="copy-progress" data-copy-state={progress.state} aria-live="polite">
      <progress max={1} value={share} aria-label={`Copying artifacts to ${progress.to}`} />
      <p className="small">
        {progress.state === 'running' ? 'Copying' : progress.state === 'done' ? 'Copied' : 'Copy ended with failures:'} {progress.copied} of {progress.total} artifacts (
        {formatBytes(progress.bytesCopied)} of {formatBytes(progress.bytesTotal)}) to <code>{progress.to}</code>
        {progress.current && <span className="muted"> — {progress.current}</span>}
      </p>
      {progress.errors.length > 0 && (
        <ul className="small upload-error" role="list">
          {progress.errors.map((e) => (
            <li key={`${e.trajectoryId}/${e.path}`}>
              {e.trajectoryId}/{e.path}: {e.error}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
