import type { EventPayload } from '../../../../../shared/trajectory-events';
import { Fields } from './Fields';

/** A workflow picked up again after its process stopped. */
export function ResumeView({ payload: p }: { payload: EventPayload<'resume'> }) {
  return (
    <div className="resume-view">
      <Fields rows={[['resumed at', p.resumed_at ?? 'the end'], ['already done', p.completed_steps.join(', ') || 'none']]} />
    </div>
  );
}
