import type { EventPayload } from '../../../../../shared/trajectory-events';
import { Fields } from './Fields';

/** Long work going on: an image build, a workflow step's attempt. */
export function ProgressView({ payload: p }: { payload: EventPayload<'progress'> }) {
  const done = p.current !== undefined && p.total ? `${p.current} / ${p.total}` : undefined;
  return (
    <div className="progress-view">
      <Fields rows={[['message', p.message], ['phase', p.phase], ['done', done], ['step', p.step], ['status', p.status], ['took', p.duration_ms !== undefined ? `${p.duration_ms} ms` : undefined], ['attempt', p.attempt], ['error', p.error]]} />
    </div>
  );
}
