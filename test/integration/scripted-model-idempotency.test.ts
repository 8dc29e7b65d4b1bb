import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { fail, reply, startScriptedModelServer, type ChatRequest, type ScriptedModelServer } from '../helpers/scripted-model-server';

let server: ScriptedModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const user = (content: string) => [{ role: 'user' as const, content }];
const prompt = (r: ChatRequest) => String(r.messages.at(-1)?.content ?? '');

/** Each generation answers with its own number, so a replayed answer is told from a new one. */
async function start(script?: (request: ChatRequest, turn: number) => ReturnType<typeof reply> | ReturnType<typeof fail>) {
  server = await startScriptedModelServer(script ?? ((r, turn) => reply(`answer ${turn} to ${prompt(r)}`)));
  return { server, client: new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0, timeout: 5000 }) };
}

describe('scripted model server honours Idempotency-Key', () => {
  it('answers a key it answered before with the same answer, without generating again', async () => {
    const { server, client } = await start();
    const ask = (key?: string) =>
      client.chat.completions.create({ model: 'm', messages: user('hi') }, key ? { headers: { 'Idempotency-Key': key } } : undefined);
    const first = await ask('k1');
    const again = await ask('k1');
    const other = await ask('k2');
    const keyless = [await ask(), await ask()];
    expect(first.choices[0].message.content).toBe('answer 0 to hi');
    expect(again.choices[0].message.content).toBe('answer 0 to hi');
    expect(again.usage).toEqual(first.usage);
    expect(other.choices[0].message.content).toBe('answer 1 to hi');
    expect(keyless.map((c) => c.choices[0].message.content)).toEqual(['answer 2 to hi', 'answer 3 to hi']);
    expect(server.requests).toHaveLength(5);
    expect(server.generations.map(prompt)).toEqual(['hi', 'hi', 'hi', 'hi']);
  });

  it('keeps no server error under a key, so the retry generates; a second request while the first is in flight gets its answer', async () => {
    const { server, client } = await start((_request, turn) => (turn === 0 ? fail(500) : reply(`answer ${turn}`, { delayMs: 200 })));
    const headers = { 'Idempotency-Key': 'k' };
    await expect(client.chat.completions.create({ model: 'm', messages: user('x') }, { headers })).rejects.toMatchObject({ status: 500 });
    const both = await Promise.all([1, 2].map(() => client.chat.completions.create({ model: 'm', messages: user('x') }, { headers })));
    expect(both.map((c) => c.choices[0].message.content)).toEqual(['answer 1', 'answer 1']);
    expect(server.requests).toHaveLength(3);
    expect(server.generations).toHaveLength(2);
  });
});
