import { describe, expect, it } from 'vitest';
import { eventSummary } from '../../shared/event-text';
import { sampleEvent } from '../../shared/trajectory-event-samples.test-helper';
import { formatEvent } from './format-event';

const started = Date.parse('2026-01-01T00:00:00.000Z');

describe('jetty run progress lines', () => {
  it("is the shared summary after the time since the run started and the event's type", () => {
    const event = { ...sampleEvent('tool_call'), time: '2026-01-01T00:01:05.000Z' };
    expect(formatEvent(event, started)).toBe(`[01:05] ${'tool_call'.padEnd(14)} ${eventSummary(event)}`);
  });

  it('names command output by its stream and clips it', () => {
    const event = { ...sampleEvent('command_output'), payload: { stream: 'stderr' as const, text: `${'x'.repeat(1000)}\n` } };
    const line = formatEvent(event, started);
    expect(line.startsWith(`[00:00] ${'stderr'.padEnd(14)} xxx`)).toBe(true);
    expect(line.endsWith('x…')).toBe(true);
    expect(line.length).toBe(8 + 15 + 400);
  });
});
