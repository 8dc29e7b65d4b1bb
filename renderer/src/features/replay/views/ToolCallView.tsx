import type { EventPayload } from '../../../../../shared/trajectory-events';
import { Block, Fields, prettyJson } from './Fields';

/** The rows naming a tool: the agent's name for it, and for a call through MCP its server and the tool's own name. */
export const toolRows = (p: Pick<EventPayload<'tool_call'>, 'name' | 'server' | 'tool'>): [string, string | undefined][] => [
  ['tool', p.name],
  ...(p.server ? ([['MCP server', p.server], ['MCP tool', p.tool]] as [string, string | undefined][]) : []),
];

/** A tool call: its name (with its MCP server), id and arguments as indented JSON. */
export function ToolCallView({ payload }: { payload: EventPayload<'tool_call'> }) {
  return (
    <div className="tool-call-view">
      <Fields rows={[...toolRows(payload), ['call id', payload.id]]} />
      <Block>{prettyJson(payload.arguments)}</Block>
    </div>
  );
}
