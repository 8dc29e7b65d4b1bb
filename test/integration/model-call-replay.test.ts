// Replay shows what the model saw and said: a real run of the built-in agent in a Docker
// sandbox, its 20 model calls through the gateway to the scripted model server, each
// call's prompt and completion read back through the contract method (trajectory.modelCall)
// as the replay viewer reads them; the conversation is stored as a chain (each message
// once), the rendered runbook is kept, and a secret the agent saw is redacted everywhere.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatEntry, ModelCallConversation } from '../../shared/conversation';
import { createEngine, type Engine } from '../../electron/engine/api';
import { removeTestContainers, requireDocker, TEST_BASE_IMAGE } from '../helpers/docker';
import { commandLoop, TWENTY_CALL_COMMANDS } from '../helpers/command-loop-script';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';

const SECRET_REPORT = path.resolve(__dirname, '../fixtures/runs/demo/secret-report/RUNBOOK.md');
const SECRET = 'sk-live-replay-7d1e9c3b5a';
const CALLS = TWENTY_CALL_COMMANDS.length + 1;

describe('replay of a run’s model calls', () => {
  let dir: string;
  let engine: Engine;
  let model: ScriptedModelServer;

  beforeAll(async () => {
    await requireDocker();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-model-call-replay-'));
    model = await startScriptedModelServer(commandLoop(TWENTY_CALL_COMMANDS));
    engine = await createEngine({ dataDir: dir, env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-upstream-key-replay' } });
  }, 120_000);

  afterAll(async () => {
    await engine?.close();
    await model?.close();
    await removeTestContainers(await requireDocker());
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('returns every call’s prompt and completion, each prompt the previous one plus its completion and tool result', async () => {
    const { store, runner } = engine.services;
    const run = await runner.start({ runbookPath: SECRET_REPORT, params: { topic: 'billing' }, secrets: { DEMO_TOKEN: SECRET }, image: TEST_BASE_IMAGE, model: 'scripted-model', maxTurns: 40 });
    const t = await run.done;
    expect(t.status, t.error ?? '').toBe('completed');

    const calls = store.listEvents(t.id, { limit: 10_000 }).filter((e) => e.type === 'model_call');
    expect(calls).toHaveLength(CALLS);
    const seen: ModelCallConversation[] = [];
    for (const call of calls) seen.push(await engine.api['trajectory.modelCall']({ id: t.id, seq: call.seq }));

    seen.forEach((c, i) => {
      expect(c.recorded).toBe(true);
      expect(c.tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['bash', 'finish']));
      // system, user, then an assistant tool call and its result per earlier call.
      expect(c.messages).toHaveLength(2 + 2 * i);
      expect(c.messages[0]).toMatchObject({ role: 'system' });
      expect(c.messages[1]).toMatchObject({ role: 'user' });
      const completion = c.completion as Extract<ChatEntry, { role: 'assistant' }>;
      expect(completion.role).toBe('assistant');
      const [toolCall] = completion.toolCalls;
      if (i + 1 < CALLS) expect(JSON.parse(toolCall.arguments)).toEqual({ command: TWENTY_CALL_COMMANDS[i] });
      else expect(toolCall.name).toBe('finish');
      if (i === 0) return;
      const previous = seen[i - 1];
      expect(c.messages.slice(0, -2)).toEqual(previous.messages);
      expect(c.messages.at(-2)).toMatchObject({ role: 'assistant', toolCalls: [{ id: (previous.completion as typeof completion).toolCalls[0].id, name: 'bash' }] });
      expect(c.messages.at(-1)).toMatchObject({ role: 'tool', toolCallId: (previous.completion as typeof completion).toolCalls[0].id });
    });
    expect(seen[2].messages.at(-1)).toMatchObject({ role: 'tool' });
    const secretResult = seen[3].messages.at(-1) as Extract<ChatEntry, { role: 'tool' }>;
    expect(secretResult.content).toContain('token is [REDACTED:DEMO_TOKEN]');

    // The rendered runbook the agent got is kept, and it is what the system prompt carries.
    const doc = store.exportTrajectory(t.id);
    expect(doc.rendered_runbook).toContain('# Secret Report');
    expect((seen[0].messages[0] as Extract<ChatEntry, { role: 'system' }>).text).toContain(doc.rendered_runbook);

    // Linear: one node per prompt entry of the longest prompt, each message once (a
    // completion the next prompt re-sends is the same message).
    const longest = 1 + seen.at(-1)!.messages.length; // + the declared tools
    expect(doc.conversation!.nodes).toHaveLength(longest);
    expect(doc.conversation!.messages).toHaveLength(longest + 1); // + the last completion

    // Redacted everywhere: the export and the database file.
    expect(JSON.stringify(doc)).not.toContain(SECRET);
    store.checkpoint();
    for (const file of [store.file, `${store.file}-wal`]) {
      const bytes = await readFile(file).catch(() => Buffer.alloc(0));
      expect(bytes.includes(Buffer.from(SECRET)), file).toBe(false);
    }
  }, 300_000);

  it('refuses an event that is not a model call', async () => {
    const [t] = engine.services.store.listTrajectories({}).trajectories;
    await expect(engine.api['trajectory.modelCall']({ id: t.id, seq: 1 })).rejects.toThrow(/no model call at event 1/);
  });
});
