import type { EventPayload } from '../../../../../shared/trajectory-events';
import { Fields } from './Fields';

/** What the agent itself reported it used (the gateway's model calls are the billed ones). */
export function UsageView({ payload: p }: { payload: EventPayload<'usage'> }) {
  return (
    <div className="usage-view">
      <Fields
        rows={[
          ['model', p.model],
          ['tokens in', p.usage?.prompt_tokens],
          ['tokens out', p.usage?.completion_tokens],
          ['cached', p.cached_input_tokens],
          ['reasoning', p.reasoning_output_tokens],
          ['turns', p.turns],
          ['tool calls', p.tool_calls],
          ['latency', typeof p.latency_ms === 'number' ? `${p.latency_ms} ms` : undefined],
          ['cost', typeof p.cost_usd === 'number' ? `$${p.cost_usd.toFixed(6)}` : undefined],
          ['finish reason', p.finish_reason],
        ]}
      />
    </div>
  );
}
