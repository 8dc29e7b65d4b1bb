import { retryTry } from '../../../../../shared/event-text';
import type { EventPayload } from '../../../../../shared/trajectory-events';
import { Fields } from './Fields';

/** A failed request or workflow step about to be tried again. */
export function RetryView({ payload: p }: { payload: EventPayload<'retry'> }) {
  return (
    <div className="retry-view">
      <Fields rows={[['request', p.what], ['try', retryTry(p)], ['next in', `${p.delay_ms} ms`], ['error', p.error]]} />
    </div>
  );
}
