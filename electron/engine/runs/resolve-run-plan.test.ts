import { describe, expect, it } from 'vitest';
import { analyzeRunbookText } from '../runbook';
import { resolveRunPlan } from './resolve-run-plan';

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
    const { plan } = resolveRunPlan({ runbookPath: 'RUNBOOK.md' }, opencode, { JETTY_AGENT_FALLBACK: 'builtin' });
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

  it('counts lint errors, which a run then needs runAnyway for', () => {
    const broken = analyzeRunbookText('---\nversion: "1.0.0"\n---\n# T\n\nUse {{nope}}.\n', { path: 'RUNBOOK.md' });
    // RB010 (an undeclared variable); the missing evaluation step (RB014) is a warning.
    expect(resolveRunPlan({ runbookPath: 'RUNBOOK.md' }, broken, {}).plan.lintErrors).toBe(1);
  });
});
