import type { EventPayload } from '../../../../../shared/trajectory-events';
import { Fields } from './Fields';

const msText = (v: number | null | undefined) => (typeof v === 'number' ? `${v} ms` : undefined);

/** One model call as the gateway saw it: model, tokens in/out/cached, latency, first token, cost, error. */
export function ModelCallView({ payload: p }: { payload: EventPayload<'model_call'> }) {
  return (
    <div className="model-call-view">
      <Fields
        rows={[
          ['model', p.model],
          ['provider', p.provider ? `${p.provider}${p.api ? ` (${p.api})` : ''}` : undefined],
          ['source', p.source],
          ['tokens in', p.usage?.prompt_tokens],
          ['tokens out', p.usage?.completion_tokens],
          ['cached', p.cached_input_tokens],
          ['latency', msText(p.latency_ms)],
          ['first token', msText(p.first_token_ms)],
          ['cost', typeof p.cost_usd === 'number' ? `$${p.cost_usd.toFixed(6)}` : undefined],
          ['HTTP status', p.http_status],
          ['error', p.error],
        ]}
      />
    </div>
  );
}
