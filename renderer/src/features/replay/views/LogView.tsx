import type { EventPayload } from '../../../../../shared/trajectory-events';
import { Block, Fields } from './Fields';

/** A log message, with what it names (missing outputs, secrets found, a session). */
export function LogView({ payload: p }: { payload: EventPayload<'log'> }) {
  return (
    <div className="log-view">
      <Block>{p.message}</Block>
      <Fields
        rows={[
          ['session', p.session_id],
          ['missing outputs', p.missing_outputs?.join(', ')],
          ['file', p.path],
          ['secrets', p.secrets?.join(', ')],
          ['upload to', p.location],
        ]}
      />
    </div>
  );
}
