import type { EventPayload } from '../../../../../shared/trajectory-events';
import { Block } from './Fields';

/** What the agent said, whole. */
export function MessageView({ payload }: { payload: EventPayload<'message'> }) {
  return (
    <div className="message-view">
      {payload.kind === 'plan' && <div className="event-note">plan</div>}
      <Block>{payload.text}</Block>
    </div>
  );
}
