import { describe, expect, it } from 'vitest';
import { analyzeRunbookText } from '../runbook';
import { assembleRun, type RunSources } from './assemble-run';
import { resolveRunPlan } from './resolve-run-plan';
import type { RunDoor, RunOrder, RunRequest } from './run-request';

const RUNBOOK = '/folders/runbooks/acme/hello/RUNBOOK.md';
const NO_SETTINGS = { defaultAgent: '', defaultModel: '', modelBaseUrl: '', defaultImage: '', collectionImages: {} };
const DOORS: RunDoor[] = ['ui', 'rest', 'chat', 'cli', 'workflow', 'evaluation'];

const sources = (over: Partial<RunSources> & { settings?: RunSources['settings'] } = {}): RunSources => ({
  env: {},
  settings: () => NO_SETTINGS,
  vault: null,
  environment: null,
  ...over,
});
const vaultOf = (values: Record<string, string>) => ({ get: (name: string) => values[name] });
const environmentOf = (byCollection: Record<string, Record<string, string>>) => ({ values: (c: string) => ({ ...byCollection[c] }) });

/** A request as data: its secret source read for the names a test cares about. */
function asData(request: RunRequest, secretNames: string[] = ['DEMO_TOKEN', 'OTHER']) {
  const { secretSource, ...rest } = request;
  return { ...rest, secretSource: Object.fromEntries(secretNames.map((n) => [n, secretSource?.(n)])) };
}

describe('assembleRun', () => {
  const table: { name: string; order: Partial<RunOrder>; sources: RunSources; expected: Partial<RunRequest>; keys: Record<string, string | undefined> }[] = [
    {
      name: 'nothing but the environment',
      order: {},
      sources: sources({ env: { OPENAI_BASE_URL: 'http://env/v1', OPENAI_API_KEY: 'sk-env', ANTHROPIC_API_KEY: 'ant-env' } }),
      expected: { agent: undefined, model: undefined, choiceOrigins: { agent: undefined, model: undefined, baseURL: undefined, variables: {} } },
      keys: { OPENAI_BASE_URL: 'http://env/v1', OPENAI_API_KEY: 'sk-env', ANTHROPIC_API_KEY: 'ant-env' },
    },
    {
      name: 'Settings over the environment; vault keys over environment keys',
      order: {},
      sources: sources({
        env: { OPENAI_BASE_URL: 'http://env/v1', OPENAI_API_KEY: 'sk-env', ANTHROPIC_API_KEY: 'ant-env' },
        settings: () => ({ ...NO_SETTINGS, defaultAgent: 'builtin', defaultModel: 'settings-model', modelBaseUrl: 'http://settings/v1' }),
        vault: vaultOf({ OPENAI_API_KEY: 'sk-vault' }),
      }),
      expected: {
        agent: 'builtin',
        model: 'settings-model',
        choiceOrigins: { agent: 'Settings → Default agent', model: 'Settings → Default model', baseURL: undefined, variables: { OPENAI_BASE_URL: 'Settings → Model endpoint' } },
      },
      keys: { OPENAI_BASE_URL: 'http://settings/v1', OPENAI_API_KEY: 'sk-vault', ANTHROPIC_API_KEY: 'ant-env' },
    },
    {
      name: 'the order over Settings',
      order: { agent: 'claude-code', model: 'claude-sonnet-4-6', baseURL: 'http://order/v1' },
      sources: sources({ settings: () => ({ ...NO_SETTINGS, defaultAgent: 'builtin', defaultModel: 'settings-model', modelBaseUrl: '' }), vault: vaultOf({ ANTHROPIC_API_KEY: 'ant-vault' }) }),
      expected: { agent: 'claude-code', model: 'claude-sonnet-4-6', baseURL: 'http://order/v1', choiceOrigins: { agent: 'DOOR', model: 'DOOR', baseURL: 'DOOR', variables: {} } },
      keys: { OPENAI_BASE_URL: undefined, OPENAI_API_KEY: undefined, ANTHROPIC_API_KEY: 'ant-vault' },
    },
  ];
  const DOOR_NAMES = { ui: 'the run panel', rest: 'the request', chat: 'the chat request', cli: 'the command line', workflow: 'the workflow step', evaluation: "the evaluation's cell" };

  for (const row of table) {
    it(`${row.name}: the same at every front door`, () => {
      for (const door of DOORS) {
        const request = assembleRun({ runbookPath: RUNBOOK, ...row.order, door }, row.sources);
        const origins = JSON.parse(JSON.stringify(row.expected.choiceOrigins).replaceAll('"DOOR"', JSON.stringify(DOOR_NAMES[door])));
        expect(request, door).toMatchObject({ ...row.expected, choiceOrigins: origins });
        expect(request.choiceOrigins, door).toEqual(origins);
        for (const [name, value] of Object.entries(row.keys)) expect(request.modelEnv?.[name], `${door} ${name}`).toBe(value);
      }
    });
  }

  it('gives equal requests for the same order at every door, apart from the name of the door', () => {
    const all = sources({
      env: { OPENAI_API_KEY: 'sk-env', JETTY_MODEL: 'env-model' },
      settings: () => ({ ...NO_SETTINGS, defaultAgent: 'builtin', defaultModel: 'settings-model', modelBaseUrl: 'http://settings/v1' }),
      vault: vaultOf({ OPENAI_API_KEY: 'sk-vault', DEMO_TOKEN: 'vault-token' }),
      environment: environmentOf({ acme: { OTHER: 'acme-other' } }),
    });
    const order = { runbookPath: RUNBOOK, params: { name: 'Ada' }, files: ['/tmp/a.txt'], secrets: { GIVEN: 'g' }, timeoutMs: 5000, runAnyway: true, collection: 'acme', task: 'hello' };
    const [first, ...rest] = DOORS.map((door) => asData(assembleRun({ ...order, door }, all)));
    expect(first).toMatchObject({ ...order, agent: 'builtin', model: 'settings-model', secretSource: { DEMO_TOKEN: 'vault-token', OTHER: 'acme-other' } });
    for (const other of rest) expect(other).toEqual(first);
    // A choice the order makes is named after its door; everything else is equal.
    const named = DOORS.map((door) => assembleRun({ ...order, model: 'm', door }, all));
    expect(named.map((r) => r.choiceOrigins?.model)).toEqual(Object.values(DOOR_NAMES));
    expect(new Set(named.map((r) => JSON.stringify(asData({ ...r, choiceOrigins: {} }))))).toHaveProperty('size', 1);
  });

  it("takes declared secrets from the run's collection environment, else the vault; the order's given secrets stay as given", () => {
    const all = sources({
      vault: vaultOf({ DEMO_TOKEN: 'vault-token', OTHER: 'vault-other' }),
      environment: environmentOf({ acme: { DEMO_TOKEN: 'acme-token' }, other: { DEMO_TOKEN: 'wrong' } }),
    });
    // The collection is the order's, else the runbook's folder (acme).
    for (const order of [{ collection: 'acme' }, {}]) {
      const request = assembleRun({ runbookPath: RUNBOOK, secrets: { DEMO_TOKEN: 'given' }, ...order, door: 'rest' }, all);
      expect(asData(request).secretSource).toEqual({ DEMO_TOKEN: 'acme-token', OTHER: 'vault-other' });
      expect(request.secrets).toEqual({ DEMO_TOKEN: 'given' });
    }
  });

  it("takes the run's image, else its collection's, else Settings' default image, naming where each came from", () => {
    const settings = () => ({ ...NO_SETTINGS, defaultImage: 'settings/image:1', collectionImages: { acme: 'acme/image:2' } });
    const image = (order: Partial<RunOrder>) => {
      const request = assembleRun({ runbookPath: RUNBOOK, door: 'cli', ...order }, sources({ settings }));
      return [request.image, request.choiceOrigins?.image];
    };
    expect(image({ image: 'run/image:3' })).toEqual(['run/image:3', 'the command line']);
    // The collection is the order's, else the runbook's folder (acme).
    expect(image({})).toEqual(['acme/image:2', 'Settings → Sandbox image of collection acme']);
    expect(image({ collection: 'other' })).toEqual(['settings/image:1', 'Settings → Default image']);
    expect(assembleRun({ runbookPath: RUNBOOK, door: 'ui' }, sources()).image).toBeUndefined();
  });

  it("names Settings' endpoint in the run plan only for the agent it is for (the built-in agent's provider)", () => {
    const runbook = (agent: string) => analyzeRunbookText(`---\nversion: "1.0.0"\nagent: ${agent}\n---\n# T\n`, { path: RUNBOOK });
    const env = { ANTHROPIC_BASE_URL: 'http://env-anthropic/v1' };
    const all = sources({ env, settings: () => ({ ...NO_SETTINGS, modelBaseUrl: 'http://settings/v1' }) });
    const plan = (agent: string) => resolveRunPlan(assembleRun({ runbookPath: RUNBOOK, door: 'ui' }, all), runbook(agent), env).plan.endpoint;
    expect(plan('builtin')).toMatchObject({ value: 'http://settings/v1', source: 'Settings → Model endpoint' });
    expect(plan('claude-code')).toMatchObject({ value: 'http://env-anthropic/v1', source: 'ANTHROPIC_BASE_URL' });
  });
});
