import type { EventPayload } from '../../../../../shared/trajectory-events';
import { Block } from './Fields';

/** The agent's reasoning, whole. */
export function ReasoningView({ payload }: { payload: EventPayload<'reasoning'> }) {
  return (
    <div className="reasoning-view">
      <Block>{payload.text}</Block>
    </div>
  );
}
