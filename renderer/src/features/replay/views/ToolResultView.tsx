import type { EventPayload } from '../../../../../shared/trajectory-events';
import { AnsiText } from '../../events/AnsiText';
import { Block, Fields } from './Fields';
import { toolRows } from './ToolCallView';

/** A tool's result: ok or failed, its exit code, and its output. */
export function ToolResultView({ payload }: { payload: EventPayload<'tool_result'> }) {
  return (
    <div className="tool-result-view">
      <Fields rows={[...toolRows(payload), ['result', payload.ok ? 'ok' : 'failed'], ['exit code', payload.exit_code]]} />
      <Block>
        <AnsiText text={payload.output} />
      </Block>
    </div>
  );
}
