import type { DeclaredTool, ModelCallConversation } from '../../../shared/conversation';
import type { EventPayload } from '../../../shared/trajectory-events';
import type { Conversations } from '../store';

const NOT_RECORDED: ModelCallConversation = { recorded: false, tools: [], messages: [], completion: null };

/**
 * What the model saw and said in the call a `model_call` event records: the prompt its
 * `prompt_ref` names (the declared tools taken out of it) and the completion its
 * `completion_ref` names. `recorded` is false for a call whose prompt was not stored
 * (one recorded before conversations were, or one whose rows were lost).
 */
export function modelCallConversation(conversations: Conversations, trajectoryId: string, payload: EventPayload<'model_call'>): ModelCallConversation {
  const prompt = payload.prompt_ref ? conversations.prompt(trajectoryId, payload.prompt_ref) : null;
  if (!prompt) return NOT_RECORDED;
  const tools: DeclaredTool[] = prompt.flatMap((entry) => (entry.role === 'tools' ? entry.tools : []));
  return {
    recorded: true,
    tools,
    messages: prompt.filter((entry) => entry.role !== 'tools'),
    completion: payload.completion_ref ? conversations.message(trajectoryId, payload.completion_ref) : null,
  };
}
