import { describe, expect, it } from 'vitest';
import { toMarker } from './markers';

describe('toMarker', () => {
  it('maps severity, range and hint', () => {
    const marker = toMarker({
      severity: 'warning',
      code: 'RB010',
      message: 'variable not declared',
      hint: 'add it to the Parameters table',
      range: { line: 3, column: 2, endLine: 3, endColumn: 9 },
    });
    expect(marker).toEqual({
      severity: 4,
      code: 'RB010',
      message: 'variable not declared\nadd it to the Parameters table',
      startLineNumber: 3,
      startColumn: 2,
      endLineNumber: 3,
      endColumn: 9,
    });
  });

  it('widens an empty range to one character', () => {
    const marker = toMarker({ severity: 'error', code: 'RB001', message: 'm', range: { line: 1, column: 1, endLine: 1, endColumn: 1 } });
    expect([marker.severity, marker.endLineNumber, marker.endColumn]).toEqual([8, 1, 2]);
  });
});
