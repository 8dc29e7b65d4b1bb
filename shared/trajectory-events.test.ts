import { describe, expect, it } from 'vitest';
import { SAMPLE_PAYLOADS, sampleEvent } from './trajectory-event-samples.test-helper';
import { EVENT_TYPES, TrajectoryEventSchema, TypedEventSchema, type EventType } from './trajectory-events';

/** What zod says about `value` as `{type, payload}`, as `path: message` lines. */
function problems(type: string, payload: unknown): string[] {
  const result = TypedEventSchema.safeParse({ type, payload });
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

/** A payload each type must refuse, and the field the refusal names. */
const BAD: { [T in EventType]: [payload: Record<string, unknown>, field: string] } = {
  message: [{ role: 'robot', text: 'hi' }, 'payload.role'],
  reasoning: [{ text: 7 }, 'payload.text'],
  tool_call: [{ name: 'bash', arguments: {} }, 'payload.id'],
  tool_result: [{ id: 'c', name: 'bash', ok: 'yes', output: '' }, 'payload.ok'],
  command_output: [{ stream: 'stdin', text: 'x' }, 'payload.stream'],
  file_change: [{ kind: 'add' }, 'payload.path'],
  model_call: [{ model: 'm', usage: null }, 'payload.source'],
  usage: [{ model: 'm', usage: { prompt_tokens: 1 } }, 'payload.usage.completion_tokens'],
  status: [{ status: 'resumed' }, 'payload.status'],
  log: [{ text: 'no message' }, 'payload.message'],
  progress: [{ message: 'x', status: 'paused' }, 'payload.status'],
  retry: [{ what: 'model request', attempt: 1, max_attempts: 3, error: 'x' }, 'payload.delay_ms'],
  resume: [{ resumed_at: 's2' }, 'payload.completed_steps'],
  artifact: [{ path: 'a', size: 1.5, sha256: 'x', media_type: 'text/plain' }, 'payload.size'],
  evaluation: [{ pass: 'all' }, 'payload.pass'],
};

describe('trajectory events', () => {
  it.each(EVENT_TYPES)('%s: its sample payload parses unchanged', (type) => {
    expect(problems(type, SAMPLE_PAYLOADS[type])).toEqual([]);
    expect(TrajectoryEventSchema.parse(sampleEvent(type))).toEqual(sampleEvent(type));
  });

  it.each(EVENT_TYPES)('%s: a bad payload is refused, naming the field', (type) => {
    const [payload, field] = BAD[type];
    const said = problems(type, payload);
    expect(said.length).toBeGreaterThan(0);
    expect(said.some((line) => line.startsWith(`${field}: `))).toBe(true);
  });

  it('refuses a type it does not know, and a missing payload', () => {
    expect(problems('telepathy', {})).toEqual([expect.stringMatching(/^type: /)]);
    expect(problems('log', undefined)).toEqual([expect.stringMatching(/^payload: .*expected object/)]);
  });
});
