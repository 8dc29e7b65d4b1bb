import { describe, expect, it } from 'vitest';
import type { TrajectoryEvent } from '../../../../shared/trajectory';
import { buildRows, rowOfEvent, type RowOptions } from './rows';

const ev = (seq: number, step: string | null, type: TrajectoryEvent['type'], payload: Record<string, unknown> = {}): TrajectoryEvent => ({
  seq,
  time: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
  level: 'info',
  type,
  step,
  payload,
});

const events = [
  ev(1, null, 'status', { status: 'running' }),
  ev(2, 'agent', 'message', { text: 'hello there' }),
  ev(3, 'agent', 'tool_call', { id: 'c1', name: 'bash', arguments: { command: 'ls' } }),
  ev(4, 'agent', 'command_output', { tool_call_id: 'c1', stream: 'stdout', text: 'a.txt\n' }),
  ev(5, 'agent', 'tool_result', { id: 'c1', name: 'bash', ok: true, output: 'a.txt' }),
  ev(6, 'collect', 'artifact', { path: 'summary.md' }),
];
const all: RowOptions = { upTo: events.length, types: null, search: '', collapsedSteps: new Set(), collapsedCalls: new Set() };

describe('buildRows', () => {
  it('puts a header before each step group', () => {
    expect([...buildRows(events, all)]).toEqual([-1, 0, -2, 1, 2, 3, 4, -6, 5]);
  });

  it('stops at the replay cursor', () => {
    expect([...buildRows(events, { ...all, upTo: 3 })]).toEqual([-1, 0, -2, 1, 2]);
  });

  it('folds collapsed steps and tool calls', () => {
    expect([...buildRows(events, { ...all, collapsedSteps: new Set(['agent']) })]).toEqual([-1, 0, -2, -6, 5]);
    expect([...buildRows(events, { ...all, collapsedCalls: new Set(['c1']) })]).toEqual([-1, 0, -2, 1, 2, -6, 5]);
  });

  it('filters by type and by text', () => {
    expect([...buildRows(events, { ...all, types: new Set(['artifact', 'message']) })]).toEqual([-2, 1, -6, 5]);
    expect([...buildRows(events, { ...all, search: 'HELLO' })]).toEqual([-2, 1]);
  });
});

describe('rowOfEvent', () => {
  it('finds the row of an event or the last one before it', () => {
    const rows = buildRows(events, { ...all, collapsedCalls: new Set(['c1']) });
    expect(rowOfEvent(rows, 2)).toBe(4);
    expect(rowOfEvent(rows, 4)).toBe(4);
    expect(rowOfEvent(rows, 5)).toBe(6);
  });
});
