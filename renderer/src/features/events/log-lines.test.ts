import { describe, expect, it } from 'vitest';
import type { TrajectoryEvent } from '../../../../shared/trajectory';
import { LogLines } from './log-lines';

let seq = 0;
const output = (text: string, call = 'c1', stream = 'stdout'): TrajectoryEvent =>
  ({ seq: ++seq, time: '2026-01-01T00:00:00Z', type: 'command_output', level: 'info', step: null, payload: { tool_call_id: call, stream, text } }) as TrajectoryEvent;
const message = (text: string): TrajectoryEvent =>
  ({ seq: ++seq, time: '2026-01-01T00:00:00Z', type: 'message', level: 'info', step: null, payload: { role: 'assistant', text } }) as TrajectoryEvent;
const texts = (log: LogLines) => log.lines.map((l) => l.text);

describe('LogLines', () => {
  it('splits output into lines, not into the chunks it arrived in', () => {
    const log = LogLines.of([output('1\n2\n3'), output('4\n5'), output('\n6\n')]);
    expect(texts(log)).toEqual(['1', '2', '34', '5', '6']);
  });

  it('keeps each stream of each call apart, and other events as one line each', () => {
    const log = LogLines.of([output('out-a', 'a'), output('err-a', 'a', 'stderr'), message('thinking'), output('-more\n', 'a'), output('b\n', 'b')]);
    expect(texts(log)).toEqual(['out-a-more', 'err-a', 'thinking', 'b']);
  });

  it('treats CRLF as one newline and lets a carriage return rewrite the line, across chunks too', () => {
    expect(texts(LogLines.of([output('a\r\nb\r\n')]))).toEqual(['a', 'b']);
    expect(texts(LogLines.of([output('10%\r20%\r'), output('30%\rdone\n'), output('next\n')]))).toEqual(['done', 'next']);
    expect(texts(LogLines.of([output('50%\r'), output('60%\n')]))).toEqual(['60%']);
  });

  it('keeps empty lines, and a chunk of only a newline ends the open line', () => {
    expect(texts(LogLines.of([output('a\n\nb'), output('\n')]))).toEqual(['a', '', 'b']);
  });

  it('appends 100,000 one-line chunks in linear time', () => {
    const log = new LogLines();
    const t0 = performance.now();
    for (let i = 1; i <= 100_000; i++) log.append(output(i % 3 === 0 ? `${i}\n` : `${i}`));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(log.lines).toHaveLength(33_334);
    expect(log.lines[0].text).toBe('123');
  });
});
