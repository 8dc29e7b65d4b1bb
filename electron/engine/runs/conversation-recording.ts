/**
 * A run's conversation as its model calls reach the gateway: each `model_call` event gets
 * `prompt_ref` (the chain node of its prompt's last entry) and `completion_ref` (its
 * completion's message hash) at once, while the rows of the messages and nodes it adds
 * are written after the call's response has gone out (setImmediate). The gateway reads the
 * prompt while the provider works on the call (run-gateway.ts), so the response's last byte
 * waits only for the completion's decoding and the hashing of the call's new messages.
 */
import type { AgentEvent } from '../agents/types';
import type { CallConversation } from '../gateway/call-conversation';
import type { ConversationRowsText, Store } from '../store';

export function createConversationRecording(store: Store, trajectoryId: string, onError: (message: string) => void) {
  const conversations = store.conversations();
  const chain = conversations.chain(trajectoryId);
  let pending: ConversationRowsText = { messages: [], nodes: [] };
  let scheduled: NodeJS.Immediate | null = null;

  const write = () => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = null;
    const rows = pending;
    pending = { messages: [], nodes: [] };
    if (rows.messages.length === 0 && rows.nodes.length === 0) return;
    try {
      conversations.add(trajectoryId, rows);
    } catch (error) {
      onError(`the prompt and completion of ${rows.nodes.length} model call(s) were not stored: ${(error as Error).message}`);
    }
  };

  return {
    /** The call's event with references to its prompt and completion (their rows stored shortly after). */
    withRefs(event: AgentEvent, conversation: CallConversation | null): AgentEvent {
      if (!conversation || event.type !== 'model_call') return event;
      const { promptRef, completionRef, rows } = chain.add(conversation.prompt, conversation.completion);
      pending.messages.push(...rows.messages);
      pending.nodes.push(...rows.nodes);
      scheduled ??= setImmediate(write);
      return { ...event, payload: { ...event.payload, prompt_ref: promptRef, completion_ref: completionRef } };
    },
    /** Writes the rows still waiting (at the run's end, before its export). */
    flush: write,
  };
}
