import { describe, expect, it } from 'vitest';
import { eventDetail, eventSummary, toolCallIdOf } from './event-text';
import { sampleEvent } from './trajectory-event-samples.test-helper';
import type { EventType } from './trajectory-events';

/** What the one-line summary of each type's sample says. */
const SUMMARIES: { [T in EventType]: string } = {
  message: 'Setting up the results folder.',
  reasoning: 'The runbook wants a summary first.',
  tool_call: 'bash ls /app',
  tool_result: 'bash failed (exit 2): ls: cannot access',
  command_output: '\u001b[31merror\u001b[0m',
  file_change: 'add /app/results/summary.md',
  model_call: 'gpt-5.5 · 1234 tokens (1000 cached) · 850 ms · $0.0123',
  usage: "claude-sonnet-4-6 · 325 tokens (the agent's count) · 93 ms · $0.0125",
  status: 'run: failed — timed out after 60 s',
  log: 'required output files missing: report.md',
  progress: 'Step 3/7 : RUN apt-get install',
  retry: 'model request failed (try 1 of 5), retrying in 1000 ms: 429 Rate limit reached',
  resume: 'resumed at s3 (2 step(s) already done)',
  artifact: 'summary.md (text/markdown, 42 bytes)',
  evaluation: 'failed (2 pass, 1 partial, 3 fail)',
};

describe('event text', () => {
  it.each(Object.entries(SUMMARIES) as [EventType, string][])('%s: one line saying what happened', (type, summary) => {
    expect(eventSummary(sampleEvent(type))).toBe(summary);
  });

  it("names a step's status by its step, and a failed model call by its error", () => {
    expect(eventSummary({ ...sampleEvent('status', { step: 'agent' }), payload: { status: 'completed' } })).toBe('agent: completed');
    const failed = { ...sampleEvent('model_call'), payload: { source: 'gateway' as const, model: null, usage: null, error: 'upstream 500' } };
    expect(eventSummary(failed)).toBe('unknown model · 0 tokens — upstream 500');
  });

  it("says a workflow step's retry by its step, without a number of tries when an older version did not record it", () => {
    const retry = (max_attempts?: number) => ({ ...sampleEvent('retry', { step: 'fetch' }), payload: { what: 'step fetch', attempt: 2, max_attempts, delay_ms: 400, error: 'model call failed with 503' } });
    expect(eventSummary(retry(5))).toBe('step fetch failed (try 2 of 5), retrying in 400 ms: model call failed with 503');
    expect(eventSummary(retry())).toBe('step fetch failed (try 2), retrying in 400 ms: model call failed with 503');
  });

  it('names the MCP server and its tool of a call through MCP, whatever the agent called it', () => {
    const mcp = { server: 'docs', tool: 'search' };
    const call = { ...sampleEvent('tool_call'), payload: { id: 'c1', name: 'mcp__docs__search', arguments: { q: 'x' }, ...mcp } };
    expect(eventSummary(call)).toBe('mcp docs/search {"q":"x"}');
    const result = { ...sampleEvent('tool_result'), payload: { id: 'c1', name: 'mcp__docs__search', ok: true, output: '3 hits', ...mcp } };
    expect(eventSummary(result)).toBe('mcp docs/search ok: 3 hits');
  });

  it('clips long text to one line', () => {
    const long = { ...sampleEvent('message'), payload: { role: 'assistant' as const, text: `${'word '.repeat(100)}\nend` } };
    const line = eventSummary(long);
    expect(line).not.toContain('\n');
    expect(line.length).toBe(240);
    expect(line.endsWith('…')).toBe(true);
  });

  it('gives the whole text of messages and output, and the payload as JSON for the rest', () => {
    expect(eventDetail(sampleEvent('message'))).toBe('Setting up\nthe results folder.');
    expect(eventDetail(sampleEvent('tool_result'))).toBe('ls: cannot access');
    expect(JSON.parse(eventDetail(sampleEvent('artifact')))).toMatchObject({ path: 'summary.md', size: 42 });
  });

  it('ties output, results and file changes to their tool call', () => {
    expect(['tool_call', 'tool_result', 'command_output', 'log'].map((t) => toolCallIdOf(sampleEvent(t as EventType)))).toEqual(['call_1', 'call_1', 'call_1', null]);
  });
});
