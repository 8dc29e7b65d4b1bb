import { describe, expect, it } from 'vitest';
import { aTrajectory, tempStore } from '../store/temp-store.test-helper';
import { exportChunks } from './export-stream';

const collect = async (chunks: AsyncIterable<string>) => {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
};

describe('exportChunks with a conversation', () => {
  it('writes the rendered runbook and the conversation after the events, as exportTrajectory has them', async () => {
    const { store } = tempStore();
    const { id } = store.createTrajectory(aTrajectory());
    store.eventWriter(id).append({ level: 'info', type: 'log', payload: { message: 'hello' } });
    const conversations = store.conversations();
    conversations.setRenderedRunbook(id, '# Runbook\n\nSay "hello".');
    const { rows } = conversations.chain(id).add([{ role: 'system', text: 'Follow the runbook.' }, { role: 'user', content: [{ type: 'text', text: 'Go.' }] }], { role: 'assistant', text: 'Hello.', toolCalls: [] });
    conversations.add(id, rows);
    const text = await collect(exportChunks(store, id, 10));
    expect(text).toBe(JSON.stringify(store.exportTrajectory(id), null, 2));
    expect(JSON.parse(text)).toMatchObject({ rendered_runbook: '# Runbook\n\nSay "hello".', conversation: { messages: { length: 3 }, nodes: { length: 2 } } });
  });
});
