import type { ConnectionTest } from '../../../../shared/storage';
import { FAILURE_WORDS } from './failure-words';

/** "Test connection"'s answer: where it wrote, read and deleted the probe, or what failed in plain words and the server's text. */
export function ConnectionResult({ result }: { result: ConnectionTest }) {
  if (result.ok) {
    return (
      <p className="storage-test" data-storage-test="ok" role="status">
        <span className="pill pill-ok">connected</span> Wrote, read back and deleted a probe object at <code>{result.location}</code> in {result.millis} ms.
      </p>
    );
  }
  return (
    <div className="storage-test" data-storage-test={result.failure} role="alert">
      <p>
        <span className="pill pill-error">failed</span> <strong>{FAILURE_WORDS[result.failure]}</strong>
      </p>
      <p className="small muted">{result.message}</p>
    </div>
  );
}
