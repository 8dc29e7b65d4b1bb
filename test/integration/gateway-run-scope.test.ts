// A run token's reach at the gateway: calls at the same moment cannot pass the run's budget
// together (each reserves its estimate before it goes), and the token reaches only the
// providers its run needs, not every configured one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAgentRuntime } from '../../electron/engine/agents/registry';
import { createRunGateway, type RunAccess } from '../../electron/engine/gateway/run-gateway';
import { runProviders } from '../../electron/engine/runs/run-gateway-access';
import { reply, startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';

const USAGE = { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 };
let model: ScriptedModelServer;
const gateway = createRunGateway();
let release: () => void = () => undefined;
const held = new Promise<void>((resolve) => (release = resolve));
const budgetStops: string[] = [];

beforeAll(async () => {
  // Every answer waits until the test lets them all go, so all 40 calls are in flight together.
  model = await startScriptedModelServer(async () => {
    await held;
    return reply('ok', { usage: USAGE });
  });
});
afterAll(async () => {
  release();
  await gateway.close();
  await model?.close();
});

async function openRun(maxTokens: number | null): Promise<RunAccess> {
  const env = { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-openai', ANTHROPIC_BASE_URL: model.url.replace(/\/v1$/, ''), ANTHROPIC_API_KEY: 'sk-ant-other' };
  return gateway.open({
    runId: 'a1b2c3d4',
    providers: runProviders(getAgentRuntime('builtin'), { runbookPath: '/none/RUNBOOK.md' }, 'openai/gpt-4o-mini', env),
    budget: { maxCostUsd: null, maxTokens, source: "the runbook's frontmatter" },
    prices: {},
    onModelCall: () => undefined,
    onBudgetExceeded: (reason) => budgetStops.push(reason),
  });
}

const chat = (access: RunAccess, modelName: string) =>
  fetch(`${access.hostUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${access.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: modelName, messages: [{ role: 'user', content: 'hi' }], max_tokens: 20 }),
  });

describe('a run token at the gateway', () => {
  it('40 parallel calls under max_tokens 100: only those whose estimates fit go, and the run spends no more than its budget', async () => {
    const access = await openRun(100);
    const calls = Array.from({ length: 40 }, () => chat(access, 'openai/gpt-4o-mini'));
    // Every call has been decided while the admitted ones are still held at the provider: each
    // is either refused (answered) or waiting there. Only then are they let go, so no call can
    // come in after the others ended (a lone call under the limit would rightly be let through).
    const settled: Response[] = [];
    for (const c of calls) void c.then((r) => settled.push(r));
    const held = () => model.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
    await expect.poll(() => settled.filter((r) => r.status === 403).length + held(), { timeout: 60_000 }).toBe(40);
    release();
    const answers = await Promise.all(calls);
    const ok = answers.filter((r) => r.status === 200);
    const refused = answers.filter((r) => r.status === 403);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(ok.length + refused.length).toBe(40);
    expect(ok.length * USAGE.total_tokens).toBeLessThanOrEqual(100);
    expect(((await refused[0].json()) as { error: unknown }).error).toMatchObject({ code: 'budget_exceeded', message: expect.stringMatching(/calls? in flight may use the rest/) });
    expect(model.requests.filter((r) => r.path.endsWith('/chat/completions'))).toHaveLength(ok.length);
    expect(budgetStops.length).toBe(refused.length);
    access.end();
  });

  it("reaches only its run's providers: another configured provider is refused, its key never used", async () => {
    const access = await openRun(null);
    const before = model.requests.length;
    const other = await chat(access, 'anthropic/claude-sonnet-4');
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: unknown }).error).toMatchObject({ code: 'provider_not_allowed', message: expect.stringMatching(/provider anthropic is not open to this run: its token reaches only openai/) });
    expect(model.requests.length).toBe(before);
    const own = await chat(access, 'openai/gpt-4o-mini');
    expect(own.status).toBe(200);
    access.end();
  });
});
