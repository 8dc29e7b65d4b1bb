import { describe, expect, it } from 'vitest';
import { jsonSyntaxError, lintWorkflowText } from './lint';

describe('a workflow file that is not JSON', () => {
  it('is one WF000 error at the line and column where parsing stopped, not at line 1', () => {
    const text = '{\n  "init_params": {},\n  "steps": ["a"]\n  "step_configs": {}\n}\n';
    const [d] = lintWorkflowText('x.workflow.json', text).diagnostics;
    expect(d).toMatchObject({ code: 'WF000', range: { line: 4, column: 3 } });
    expect(d.message).toMatch(/^not valid JSON at line 4, column 3: \S/);
    expect(d.message).not.toMatch(/position/);
  });

  it('reads the messages of every Node it runs on: a position, a line and column, or the end of the input', () => {
    expect(jsonSyntaxError('{"a":\n 1,}', "Expected double-quoted property name in JSON at position 9 (line 2 column 4)")).toEqual({ line: 2, column: 4, reason: 'Expected double-quoted property name' });
    expect(jsonSyntaxError('{"a":\n', 'Unexpected end of JSON input')).toEqual({ line: 2, column: 1, reason: 'the text ends before the JSON does' });
    expect(jsonSyntaxError('{x', 'Unexpected token x in JSON at position 1')).toEqual({ line: 1, column: 2, reason: 'Unexpected token x' });
  });
});
