import type { EventPayload } from '../../../../../shared/trajectory-events';
import { Fields } from './Fields';

/** The run's or a step's status. */
export function StatusView({ payload: p }: { payload: EventPayload<'status'> }) {
  return (
    <div className="status-view">
      <Fields rows={[['status', p.status], ['message', p.message], ['error', p.error], ['parent', p.parent && `${p.parent} / ${p.parent_step ?? ''}${p.index !== undefined ? ` [${p.index}]` : ''}`]]} />
    </div>
  );
}
