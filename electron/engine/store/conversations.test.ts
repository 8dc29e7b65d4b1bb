import { describe, expect, it } from 'vitest';
import type { ConversationEntry } from '../../../shared/conversation';
import { aTrajectory, tempStore } from './temp-store.test-helper';

const tools: ConversationEntry = { role: 'tools', tools: [{ name: 'run_command', description: 'Runs a command', parameters: { type: 'object', properties: { command: { type: 'string' } } } }] };
const system: ConversationEntry = { role: 'system', text: 'Follow the runbook.' };
const user: ConversationEntry = { role: 'user', content: [{ type: 'text', text: 'Execute the runbook.' }] };
const call = (n: number): ConversationEntry => ({ role: 'assistant', text: '', toolCalls: [{ id: `call_${n}`, name: 'run_command', arguments: JSON.stringify({ command: `echo ${n}` }) }] });
const result = (n: number, output = `${n}\n`): ConversationEntry => ({ role: 'tool', toolCallId: `call_${n}`, name: 'run_command', content: output });
const done: ConversationEntry = { role: 'assistant', text: 'All done.', toolCalls: [] };

/** Each call re-sends the whole conversation so far, as an agent does. */
const prompts = [
  [tools, system, user],
  [tools, system, user, call(1), result(1)],
  [tools, system, user, call(1), result(1), call(2), result(2)],
];
const completions = [call(1), call(2), done];

const rowsOf = (store: ReturnType<typeof tempStore>['store'], id: string) => store.exportTrajectory(id).conversation!;

function recordThreeCalls(secrets?: Record<string, string>, output?: string) {
  const { store } = tempStore();
  const { id } = store.createTrajectory({ ...aTrajectory(), secrets });
  const conversations = store.conversations();
  const chain = conversations.chain(id);
  const refs = prompts.map((prompt, i) => {
    const withOutput = output && i === 2 ? [...prompt.slice(0, -1), result(2, output)] : prompt;
    const { rows, ...ref } = chain.add(withOutput, completions[i]);
    conversations.add(id, rows);
    return ref;
  });
  return { store, id, conversations, refs };
}

describe('conversation store', () => {
  it('stores each distinct message of a 3-call conversation once, and one node per prompt prefix', () => {
    const { store, id } = recordThreeCalls();
    // tools, system, user, call 1, result 1, call 2, result 2, the final answer.
    expect(rowsOf(store, id).messages).toHaveLength(8);
    // The longest prompt's 7 prefixes; the shorter prompts are prefixes of it.
    expect(rowsOf(store, id).nodes).toHaveLength(7);
  });

  it('rebuilds each prompt from its chain in order, and each completion', () => {
    const { conversations, id, refs } = recordThreeCalls();
    refs.forEach((ref, i) => {
      expect(conversations.prompt(id, ref.promptRef!)).toEqual(prompts[i]);
      expect(conversations.message(id, ref.completionRef!)).toEqual(completions[i]);
    });
  });

  it('stores a completion the next prompt re-sends as the one message both refer to', () => {
    const { store, id, refs } = recordThreeCalls();
    const { nodes } = store.exportTrajectory(id).conversation!;
    expect(nodes.filter((n) => n.message_hash === refs[0].completionRef)).toHaveLength(1);
  });

  it('redacts the run\'s secrets from stored messages, and the hashes are of the redacted bodies', () => {
    const secret = 'sk-live-4f9a2c7e1b3d5f60';
    const { store, id, conversations, refs } = recordThreeCalls({ API_TOKEN: secret }, `token is ${secret}\n`);
    const exported = JSON.stringify(store.exportTrajectory(id));
    expect(exported).not.toContain(secret);
    expect(conversations.prompt(id, refs[2].promptRef!)!.at(-1)).toEqual(result(2, 'token is [REDACTED:API_TOKEN]\n'));
  });

  it('gives no prompt for a node it does not hold, or whose chain is broken', () => {
    const { conversations, id } = recordThreeCalls();
    expect(conversations.prompt(id, 'f'.repeat(64))).toBeNull();
  });

  it('exports the conversation and rendered runbook, and imports them back with the same hashes', () => {
    const { store, id, conversations, refs } = recordThreeCalls();
    conversations.setRenderedRunbook(id, '# Runbook\n\nDo it.');
    const doc = store.exportTrajectory(id);
    expect(doc.rendered_runbook).toBe('# Runbook\n\nDo it.');
    const copy = tempStore().store;
    const imported = copy.importTrajectory(JSON.parse(JSON.stringify(doc)));
    expect(copy.conversations().prompt(imported, refs[2].promptRef!)).toEqual(prompts[2]);
    expect(copy.conversations().renderedRunbook(imported)).toBe('# Runbook\n\nDo it.');
    expect(copy.exportTrajectory(imported).conversation).toEqual(doc.conversation);
  });

  it('refuses an imported conversation whose message does not match its hash', () => {
    const { store, id } = recordThreeCalls();
    const doc = JSON.parse(JSON.stringify(store.exportTrajectory(id)));
    doc.conversation.messages[0].body = { role: 'system', text: 'tampered' };
    expect(() => tempStore().store.importTrajectory(doc)).toThrow(/does not match its body/);
  });

  it('imports an export without a conversation or runbook', () => {
    const { store } = tempStore();
    const { id } = store.createTrajectory(aTrajectory());
    const { conversation: _c, rendered_runbook: _r, ...old } = store.exportTrajectory(id);
    const copy = tempStore().store;
    const imported = copy.importTrajectory(old);
    expect(copy.exportTrajectory(imported)).toMatchObject({ conversation: null, rendered_runbook: null });
  });
});
