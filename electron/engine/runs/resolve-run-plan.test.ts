import { describe, expect, it } from 'vitest';
import { analyzeRunbookText } from '../runbook';
import { resolveRunPlan } from './resolve-run-plan';
import type { RunRequest } from './run-request';

const runbook = (frontmatter: string) => analyzeRunbookText(`---\nversion: "1.0.0"\n${frontmatter}---\n# T\n`, { path: 'RUNBOOK.md' });
const CLAUDE = runbook('agent: claude-code\nmodel: claude-sonnet-4-6\nsnapshot: python312-uv\n');

describe('resolveRunPlan', () => {
  it("is the runbook's own choice when nothing overrides it", () => {
    const { plan } = resolveRunPlan({ runbookPath: 'RUNBOOK.md', modelEnv: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9/a' } }, CLAUDE, {});
    expect(plan.agent).toEqual({ value: 'claude-code', runbook: 'claude-code', source: 'runbook', reason: null });
    expect(plan.model).toEqual({ value: 'claude-sonnet-4-6', runbook: 'claude-sonnet-4-6', source: 'runbook', reason: null });
    expect(plan.endpoint).toMatchObject({ value: 'http://127.0.0.1:9/a', source: 'ANTHROPIC_BASE_URL' });
    expect(plan.image).toMatchObject({ value: 'snapshot python312-uv', source: 'runbook' });
    expect(plan.warnings).toEqual([]);
  });

  it('names each substitution: JETTY_MODEL, JETTY_SANDBOX_IMAGE and an agent from Settings', () => {
    const env = { JETTY_MODEL: 'scripted-model', JETTY_SANDBOX_IMAGE: 'jetty-test/base:latest', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };
    const { plan, agent, model, imageOverride } = resolveRunPlan({ runbookPath: 'RUNBOOK.md', agent: 'builtin', choiceOrigins: { agent: 'Settings → Default agent' } }, CLAUDE, env);
    expect([agent, model, imageOverride]).toEqual(['builtin', 'scripted-model', 'jetty-test/base:latest']);
    expect(plan.endpoint).toMatchObject({ value: 'http://127.0.0.1:9/v1', source: 'OPENAI_BASE_URL' });
    expect(plan.warnings).toEqual([
      "agent builtin instead of the runbook's claude-code: Settings → Default agent names builtin",
      "model scripted-model instead of the runbook's claude-sonnet-4-6: JETTY_MODEL is set to scripted-model",
      "image jetty-test/base:latest instead of the runbook's snapshot python312-uv: JETTY_SANDBOX_IMAGE is set to jetty-test/base:latest",
    ]);
  });

  it('reports an agent Jetty lacks as a problem, or the fall-back as a substitution', () => {
    const opencode = runbook('agent: opencode\n');
    expect(resolveRunPlan({ runbookPath: 'RUNBOOK.md' }, opencode, {}).plan.problems).toEqual([
      "agent 'opencode' is not available in Jetty Desktop (it has builtin, claude-code, codex, gemini-cli): name one of those in the runbook, or set JETTY_AGENT_FALLBACK=builtin to run it with the built-in agent",
    ]);
    const { plan } = resolveRunPlan({ runbookPath: 'RUNBOOK.md' }, opencode, { JETTY_AGENT_FALLBACK: 'builtin', ANTHROPIC_API_KEY: 'sk-ant' });
    expect(plan.problems).toEqual([]);
    expect(plan.agent).toMatchObject({ value: 'builtin', runbook: 'opencode', source: 'fallback' });
    expect(plan.warnings[0]).toMatch(/^agent builtin instead of the runbook's opencode: agent 'opencode' is not available/);
    // A CLI agent with the fall-back on: the plan says the built-in agent may stand in, without a substitution.
    const cli = resolveRunPlan({ runbookPath: 'RUNBOOK.md' }, CLAUDE, { JETTY_AGENT_FALLBACK: 'builtin' });
    expect(cli.plan.agent).toMatchObject({ value: 'claude-code', reason: 'the built-in agent stands in if the sandbox image lacks the claude CLI (JETTY_AGENT_FALLBACK=builtin)' });
    expect(cli.fallbackAgent).toBe('builtin');
    expect(cli.plan.warnings).toEqual([]);
  });

  it("takes a tool's model for no one's: the agent's default applies", () => {
    const replicate = runbook('agent: claude-code\nmodel: black-forest-labs/flux-schnell\nmodel_provider: replicate\n');
    expect(resolveRunPlan({ runbookPath: 'RUNBOOK.md' }, replicate, {}).plan.model).toMatchObject({ value: 'claude-sonnet-4-6', source: 'runbook' });
  });

  it('takes the image from the request (named after where it came from), else JETTY_SANDBOX_IMAGE, else the runbook, else the default snapshot', () => {
    const env = { JETTY_SANDBOX_IMAGE: 'env/image:1', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' };
    const chosen = resolveRunPlan({ runbookPath: 'RUNBOOK.md', image: 'jetty-test/base:latest', choiceOrigins: { image: 'Settings → Default image' } }, CLAUDE, env);
    expect(chosen.imageOverride).toBe('jetty-test/base:latest');
    expect(chosen.plan.image).toEqual({ value: 'jetty-test/base:latest', runbook: 'snapshot python312-uv', source: 'Settings → Default image', reason: 'Settings → Default image names jetty-test/base:latest' });
    expect(chosen.plan.warnings).toEqual(["image jetty-test/base:latest instead of the runbook's snapshot python312-uv: Settings → Default image names jetty-test/base:latest"]);
    expect(resolveRunPlan({ runbookPath: 'RUNBOOK.md' }, CLAUDE, env).plan.image).toMatchObject({ value: 'env/image:1', source: 'JETTY_SANDBOX_IMAGE' });
    const keyless = { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' };
    expect(resolveRunPlan({ runbookPath: 'RUNBOOK.md' }, runbook('agent: claude-code\nimage: acme/tools:2\n'), keyless).plan.image).toMatchObject({ value: 'acme/tools:2', source: 'runbook' });
    const unnamed = resolveRunPlan({ runbookPath: 'RUNBOOK.md' }, runbook('agent: claude-code\n'), keyless);
    expect([unnamed.imageOverride, unnamed.plan.image]).toEqual([undefined, { value: 'snapshot python312-uv', runbook: 'snapshot python312-uv', source: 'default', reason: null }]);
  });

  describe('a model key that is not configured is a problem before any sandbox starts', () => {
    const problems = (frontmatter: string, request: Partial<RunRequest>, env: NodeJS.ProcessEnv = {}) =>
      resolveRunPlan({ runbookPath: 'RUNBOOK.md', ...request }, runbook(frontmatter), env).plan.problems;
    const ANTHROPIC = 'the model anthropic/claude-sonnet-4 needs ANTHROPIC_API_KEY: set it in Settings → Anthropic → API key (kept in the secret store), or in the environment';

    it("names the variable and where to set it, for a built-in provider at its own address without a key", () => {
      expect(problems('agent: claude-code\nmodel: anthropic/claude-sonnet-4\n', {})).toEqual([ANTHROPIC]);
      // The built-in agent reaches Anthropic through the gateway when its model is Anthropic's, whatever its own endpoint.
      expect(problems('agent: builtin\nmodel: anthropic/claude-sonnet-4\n', { modelEnv: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } })).toEqual([ANTHROPIC]);
      // A model no provider claims goes to the agent's own provider, OpenAI here.
      expect(problems('agent: builtin\nmodel: qwen3\n', {})).toEqual([
        'the model qwen3 needs OPENAI_API_KEY: set it in Settings → Model provider → API key (kept in the secret store), or in the environment',
      ]);
      // Every catalog provider's key can be kept in the secret store (Settings → Providers).
      expect(problems('agent: gemini-cli\nmodel: gemini-2.5-pro\n', {})).toEqual(['the model gemini-2.5-pro needs GEMINI_API_KEY: set it in Settings → Providers → Google Gemini (kept in the secret store), or in the environment']);
      // The provider's own address given explicitly is still the provider: it needs its key.
      expect(problems('agent: claude-code\nmodel: anthropic/claude-sonnet-4\n', {}, { ANTHROPIC_BASE_URL: 'https://api.anthropic.com' })).toEqual([ANTHROPIC]);
    });

    it('refuses nothing with a key (request, modelEnv or environment), nor a base URL of the user’s (a keyless local server)', () => {
      const claude = 'agent: claude-code\nmodel: anthropic/claude-sonnet-4\n';
      expect(problems(claude, { modelEnv: { ANTHROPIC_API_KEY: 'sk-vault' } })).toEqual([]);
      expect(problems(claude, {}, { ANTHROPIC_API_KEY: 'sk-env' })).toEqual([]);
      expect(problems(claude, { apiKey: 'sk-given' })).toEqual([]);
      expect(problems(claude, {}, { ANTHROPIC_BASE_URL: 'http://127.0.0.1:8080' })).toEqual([]);
      expect(problems(claude, { baseURL: 'http://127.0.0.1:8080' })).toEqual([]);
      expect(problems('agent: builtin\nmodel: qwen3\n', { modelEnv: { OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' } })).toEqual([]);
    });
  });

  it('counts lint errors, which a run then needs runAnyway for', () => {
    const broken = analyzeRunbookText('---\nversion: "1.0.0"\n---\n# T\n\nUse {{nope}}.\n', { path: 'RUNBOOK.md' });
    // RB010 (an undeclared variable); the missing evaluation step (RB014) is a warning.
    expect(resolveRunPlan({ runbookPath: 'RUNBOOK.md' }, broken, {}).plan.lintErrors).toBe(1);
  });

  it("lists the MCP servers the run's agent gets: command line or URL, never a header or env value", () => {
    const withServers = runbook(
      'secrets:\n  K: { env: K }\nmcp_servers:\n  probe:\n    command: python3\n    args: [probe.py, -v]\n    env: { K: "{{secrets.K}}" }\n  docs:\n    url: https://docs.example/mcp\n    headers: { Authorization: "Bearer {{secrets.K}}" }\n    optional: true\n',
    );
    const { plan } = resolveRunPlan({ runbookPath: 'RUNBOOK.md' }, withServers, {});
    expect(plan.mcpServers).toEqual([
      { name: 'probe', transport: 'stdio', target: 'python3 probe.py -v', optional: false, source: 'runbook' },
      { name: 'docs', transport: 'http', target: 'https://docs.example/mcp', optional: true, source: 'runbook' },
    ]);
    expect(resolveRunPlan({ runbookPath: 'RUNBOOK.md' }, CLAUDE, {}).plan.mcpServers).toEqual([]);
  });
});
