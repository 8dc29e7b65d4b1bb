import type { EventPayload, EventType, TrajectoryEvent } from './trajectory-events';

/** One realistic payload of every event type (the mapped type makes a new type fail to compile here until it has one). */
export const SAMPLE_PAYLOADS: { [T in EventType]: EventPayload<T> } = {
  message: { role: 'assistant', text: 'Setting up\nthe results folder.' },
  reasoning: { text: 'The runbook wants a summary first.' },
  tool_call: { id: 'call_1', name: 'bash', arguments: { command: 'ls /app' } },
  tool_result: { id: 'call_1', name: 'bash', ok: false, output: 'ls: cannot access', exit_code: 2 },
  command_output: { stream: 'stderr', text: '\u001b[31merror\u001b[0m\n', tool_call_id: 'call_1' },
  file_change: { path: '/app/results/summary.md', kind: 'add', diff: '+# Summary' },
  model_call: {
    source: 'gateway',
    api: 'chat-completions',
    provider: 'openai',
    model: 'gpt-5.5',
    stream: true,
    http_status: 200,
    usage: { prompt_tokens: 1200, completion_tokens: 34, total_tokens: 1234 },
    cached_input_tokens: 1000,
    latency_ms: 850,
    first_token_ms: 120,
    cost_usd: 0.0123,
    error: null,
    prompt_ref: 'abc123',
    completion_ref: null,
  },
  usage: { model: 'claude-sonnet-4-6', usage: { prompt_tokens: 300, completion_tokens: 25, total_tokens: 325, cost_usd: 0.0125 }, turns: 3, latency_ms: 93 },
  status: { status: 'failed', message: 'timed out after 60 s' },
  log: { message: 'required output files missing: report.md', missing_outputs: ['report.md'] },
  progress: { message: 'Step 3/7 : RUN apt-get install', phase: 'build', current: 3, total: 7 },
  retry: { what: 'model request', attempt: 1, max_attempts: 5, delay_ms: 1000, error: '429 Rate limit reached' },
  resume: { completed_steps: ['s1', 's2'], resumed_at: 's3' },
  artifact: { path: 'summary.md', size: 42, sha256: 'ab'.repeat(32), media_type: 'text/markdown' },
  evaluation: { overall_passed: false, pass: 2, partial: 1, fail: 3 },
};

/** The sample of `type` as a stored event. */
export function sampleEvent<T extends EventType>(type: T, extra: Partial<Pick<TrajectoryEvent, 'seq' | 'step' | 'level'>> = {}): Extract<TrajectoryEvent, { type: T }> {
  return { seq: 1, time: '2026-01-01T00:00:00.000Z', level: 'info', step: null, ...extra, type, payload: SAMPLE_PAYLOADS[type] } as Extract<TrajectoryEvent, { type: T }>;
}
