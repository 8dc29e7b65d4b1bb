import type { EventPayload } from '../../../../../shared/trajectory-events';
import { Fields } from './Fields';

/** A failed request about to be tried again. */
export function RetryView({ payload: p }: { payload: EventPayload<'retry'> }) {
  return (
    <div className="retry-view">
      <Fields rows={[['request', p.what], ['try', `${p.attempt} of ${p.max_attempts}`], ['next in', `${p.delay_ms} ms`], ['error', p.error]]} />
    </div>
  );
}
