/** A run's model call, as the gateway saw it, as a `model_call` event of the run's trajectory. */
import type { NewTrajectoryEvent } from '../../../shared/trajectory';
import { outcomeOf, type CapturedCall } from '../proxy/call-summary';
import { trajectoryUsage } from '../wire/trajectory-usage';
import type { ConversationEntry } from '../../../shared/conversation';
import { callConversation, type CallConversation } from './call-conversation';
import { costOf, type PriceTable } from './pricing';

/** The step the gateway's events carry: the calls of whichever agent runs. */
export const GATEWAY_STEP = 'gateway';

export interface ModelCallFacts {
  event: NewTrajectoryEvent;
  costUsd: number | null;
  tokens: number;
  /** What the model saw and said (null when the call's bodies cannot be read). */
  conversation: CallConversation | null;
}

/** `prompt`: the call's prompt entries when they were read while the call was on its way. */
export function modelCallEvent(call: CapturedCall, prices: PriceTable, prompt?: ConversationEntry[] | null): ModelCallFacts {
  const outcome = call.cancelled ? null : outcomeOf(call);
  const usage = outcome?.usage ?? null;
  const costUsd = usage ? costOf(call.model, usage, prices) : null;
  const failed = call.cancelled || call.status >= 400 || outcome?.error != null;
  const payload = {
    source: 'gateway' as const,
    api: call.api,
    provider: call.provider,
    model: call.model,
    stream: call.stream,
    http_status: call.status,
    usage: usage && trajectoryUsage(usage),
    cached_input_tokens: usage?.cachedInputTokens ?? 0,
    latency_ms: call.endedAt - call.startedAt,
    first_token_ms: call.stream && call.firstByteAt !== null ? call.firstByteAt - call.startedAt : null,
    cost_usd: costUsd,
    error: call.cancelled ? 'the client disconnected before the response completed' : (outcome?.error ?? null),
  };
  return {
    event: { type: 'model_call', level: failed ? 'error' : 'info', step: GATEWAY_STEP, payload },
    costUsd,
    tokens: usage ? usage.inputTokens + usage.outputTokens : 0,
    conversation: callConversation(call, outcome, prompt),
  };
}
