import { describe, expect, it } from 'vitest';
import type { TrajectoryEvent } from '../../../../shared/trajectory';
import { lineTextBefore, LogLines } from '../events/log-lines';
import { buildRows, eventOfRow, rowOfEvent, type RowOptions } from './rows';

const ev = (seq: number, step: string | null, type: TrajectoryEvent['type'], payload: Record<string, unknown> = {}): TrajectoryEvent => ({
  seq,
  time: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
  level: 'info',
  type,
  step,
  payload,
});
const out = (seq: number, call: string, text: string) => ev(seq, 'agent', 'command_output', { tool_call_id: call, stream: 'stdout', text });

const events = [
  ev(1, null, 'status', { status: 'running' }),
  ev(2, 'agent', 'message', { text: 'hello there' }),
  ev(3, 'agent', 'tool_call', { id: 'c1', name: 'bash', arguments: { command: 'ls' } }),
  out(4, 'c1', 'a.txt\n'),
  ev(5, 'agent', 'tool_result', { id: 'c1', name: 'bash', ok: true, output: 'a.txt' }),
  ev(6, 'collect', 'artifact', { path: 'summary.md', kind: 'file', size: 10 }),
];
const all: RowOptions = { upTo: events.length, types: null, search: '', collapsedSteps: new Set(), collapsedCalls: new Set() };

/** The rows as what they show: `#step` for a header, else the row's line text. */
function shown(evs: TrajectoryEvent[], options: Partial<RowOptions> = {}): string[] {
  const { lines } = LogLines.of(evs);
  const rows = buildRows(evs, lines, { ...all, upTo: evs.length, ...options });
  return Array.from(rows, (code) => (code < 0 ? `#${evs[-code - 1].step ?? 'run'}` : lines[code].text));
}

describe('buildRows', () => {
  it('puts a header before each step group', () => {
    expect(shown(events)).toEqual(['#run', expect.stringContaining('running'), '#agent', 'hello there', expect.stringContaining('ls'), 'a.txt', expect.stringContaining('a.txt'), '#collect', expect.stringContaining('summary.md')]);
  });

  it('stops at the replay cursor', () => {
    expect(shown(events, { upTo: 3 })).toEqual(['#run', expect.stringContaining('running'), '#agent', 'hello there', expect.stringContaining('ls')]);
  });

  it('folds collapsed steps and tool calls', () => {
    expect(shown(events, { collapsedSteps: new Set(['agent']) })).toEqual(['#run', expect.stringContaining('running'), '#agent', '#collect', expect.stringContaining('summary.md')]);
    expect(shown(events, { collapsedCalls: new Set(['c1']) })).toEqual(['#run', expect.stringContaining('running'), '#agent', 'hello there', expect.stringContaining('ls'), '#collect', expect.stringContaining('summary.md')]);
  });

  it('filters by type and by text', () => {
    expect(shown(events, { types: new Set(['artifact', 'message']) })).toEqual(['#agent', 'hello there', '#collect', expect.stringContaining('summary.md')]);
    expect(shown(events, { search: 'HELLO' })).toEqual(['#agent', 'hello there']);
  });
});

describe('command output as lines', () => {
  const call = ev(1, 'agent', 'tool_call', { id: 'c1', name: 'bash', arguments: { command: 'make' } });
  const result = (seq: number) => ev(seq, 'agent', 'tool_result', { id: 'c1', name: 'bash', ok: true, output: '' });

  it('joins a line split across chunks into one row, and ends it at the newline', () => {
    const evs = [call, out(2, 'c1', 'ab'), out(3, 'c1', 'c\nd\n'), result(4)];
    expect(shown(evs).slice(2, 4)).toEqual(['abc', 'd']);
  });

  it('shows a chunk of many lines as one row per line', () => {
    const text = Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const rows = shown([call, out(2, 'c1', text), result(3)]);
    expect(rows.filter((r) => r.startsWith('line '))).toHaveLength(500);
    expect(rows[2]).toBe('line 0');
    expect(rows[501]).toBe('line 499');
  });

  it('shows the lines of events before the cursor only', () => {
    const evs = [call, out(2, 'c1', 'one\ntwo\n'), out(3, 'c1', 'three\n'), result(4)];
    expect(shown(evs, { upTo: 2 })).toEqual(['#agent', expect.stringContaining('make'), 'one', 'two']);
    const { lines } = LogLines.of(evs);
    const rows = buildRows(evs, lines, { ...all, upTo: evs.length });
    // The cursor on the second chunk: the row of its (last) line.
    expect(lines[rows[rowOfEvent(rows, lines, 2)]].text).toBe('three');
    expect(eventOfRow(rows[rowOfEvent(rows, lines, 1)], lines)).toBe(1);
  });

  it('shows a line the cursor cuts as far as the chunks before the cursor wrote it', () => {
    const err = ev(4, 'agent', 'command_output', { tool_call_id: 'c1', stream: 'stderr', text: 'warn\n' });
    const evs = [call, out(2, 'c1', 'done\nhal'), out(3, 'c1', 'f\r'), err, out(5, 'c1', 'whole\n'), result(6)];
    const { lines } = LogLines.of(evs);
    const line = lines.find((l) => l.text === 'whole')!;
    expect([2, 3, 4, 5].map((upTo) => lineTextBefore(evs, line, upTo))).toEqual(['hal', 'half', 'half', 'whole']);
    expect(lineTextBefore(evs, lines.find((l) => l.text === 'done')!, 2)).toBe('done');
  });

  it('folds every line of a folded call under it', () => {
    const evs = [call, out(2, 'c1', 'x\ny\n'), out(3, 'c1', 'z\n'), result(4)];
    expect(shown(evs, { collapsedCalls: new Set(['c1']) })).toEqual(['#agent', expect.stringContaining('make')]);
  });

  it('searches lines, not chunks: a word split across chunks is found on its line, and only its line shows', () => {
    const evs = [call, out(2, 'c1', 'first\nneed'), out(3, 'c1', 'le here\nlast\n'), result(4)];
    expect(shown(evs, { search: 'NEEDLE' })).toEqual(['#agent', 'needle here']);
    expect(shown(evs, { search: 'needle', types: new Set(['tool_call']) })).toEqual([]);
  });
});

describe('rowOfEvent', () => {
  it('finds the row of an event or the last one before it', () => {
    const { lines } = LogLines.of(events);
    const rows = buildRows(events, lines, { ...all, collapsedCalls: new Set(['c1']) });
    expect(rowOfEvent(rows, lines, 2)).toBe(4);
    expect(rowOfEvent(rows, lines, 4)).toBe(4);
    expect(rowOfEvent(rows, lines, 5)).toBe(6);
  });
});

describe('building rows for a long trajectory', () => {
  it('stays compact and fast for 100,000 lines of output', () => {
    const evs = [call100k(), ...Array.from({ length: 10_000 }, (_, i) => out(i + 2, 'c1', Array.from({ length: 10 }, (_, j) => `l${i}-${j}`).join('\n') + '\n'))];
    const split = performance.now();
    const { lines } = LogLines.of(evs);
    const splitMs = performance.now() - split;
    expect(lines).toHaveLength(100_001);
    const started = performance.now();
    const rows = buildRows(evs, lines, { ...all, upTo: evs.length });
    const ms = performance.now() - started;
    console.log(`100,001 lines from 10,001 events: split ${splitMs.toFixed(1)} ms, rows built ${ms.toFixed(1)} ms`);
    expect(rows).toHaveLength(100_002);
    expect(ms).toBeLessThan(1000);
  });
});

function call100k() {
  return ev(1, 'agent', 'tool_call', { id: 'c1', name: 'bash', arguments: { command: 'seq' } });
}
