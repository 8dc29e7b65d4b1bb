import type { EventPayload } from '../../../../../shared/trajectory-events';
import { Fields } from './Fields';

/** A result file the run collected. */
export function ArtifactView({ payload: p }: { payload: EventPayload<'artifact'> }) {
  return (
    <div className="artifact-view">
      <Fields rows={[['file', p.path], ['type', p.media_type], ['size', `${p.size} bytes`], ['sha256', p.sha256], ['redacted', p.redacted?.join(', ')]]} />
    </div>
  );
}
