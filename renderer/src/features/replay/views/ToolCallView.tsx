import type { EventPayload } from '../../../../../shared/trajectory-events';
import { Block, Fields, prettyJson } from './Fields';

/** A tool call: its name, id and arguments as indented JSON. */
export function ToolCallView({ payload }: { payload: EventPayload<'tool_call'> }) {
  return (
    <div className="tool-call-view">
      <Fields rows={[['tool', payload.name], ['call id', payload.id]]} />
      <Block>{prettyJson(payload.arguments)}</Block>
    </div>
  );
}
