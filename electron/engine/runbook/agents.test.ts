import { describe, expect, it } from 'vitest';
import { agentForModel, runSettings } from './agents';

describe('run settings of a runbook', () => {
  it('infers the agent from the model prefix when the runbook names none', () => {
    expect(runSettings({ model: 'gpt-5.5' }).agent).toBe('codex');
    expect(runSettings({ model: 'openai/gpt-5.4' }).agent).toBe('codex');
    expect(runSettings({ model: 'gemini-3.1-pro-preview' }).agent).toBe('gemini-cli');
    expect(runSettings({ model: 'openrouter/anthropic/claude-opus-4' }).agent).toBe('claude-code');
    expect(runSettings({ model: 'gpt-5.5', agent: 'builtin' }).agent).toBe('builtin');
    expect(agentForModel('llama-3')).toBeNull();
  });

  it("gives each agent Jetty's default model when the runbook names none", () => {
    expect(runSettings({ agent: 'codex' }).model).toBe('gpt-5.4');
    expect(runSettings({ agent: 'gemini-cli' }).model).toBe('gemini-3.1-pro-preview');
    expect(runSettings({ agent: 'claude-code' }).model).toBe('claude-sonnet-4-6');
    expect(runSettings({})).toEqual({ agent: 'claude-code', model: 'claude-sonnet-4-6', snapshot: 'python312-uv', image: null });
    expect(runSettings({ agent: 'opencode' }).model).toBe('claude-sonnet-4-6');
  });
});
