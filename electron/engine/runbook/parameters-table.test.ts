import { describe, expect, it } from 'vitest';
import { nameCandidates, looseMatch } from './parameter-names';
import { parseDefaultCell, splitRow } from './parameters-table';

describe('splitRow', () => {
  it('splits on pipes except escaped ones and those inside code spans', () => {
    expect(splitRow('| a | `x|y` | b \\| c |')).toEqual(['a', '`x|y`', 'b | c']);
    expect(splitRow('no | outer | pipes')).toEqual(['no', 'outer', 'pipes']);
  });
});

describe('parseDefaultCell', () => {
  it.each([
    ['`/app/results`', { value: '/app/results', required: false }],
    ['*(required)*', { value: null, required: true }],
    ['required', { value: null, required: true }],
    ['user supplied', { value: null, required: true }],
    ['*(optional)*', { value: null, required: false }],
    ['*(required if Custom)*', { value: null, required: false }],
    ['*(required — the uploaded deck source)*', { value: null, required: true }],
    ['*(required: a public URL)*', { value: null, required: true }],
    ['Required — ask the user if unspecified', { value: null, required: true }],
    ['user supplied (a slug)', { value: null, required: true }],
    ['*(required — only when mode is update)*', { value: null, required: false }],
    ['*(required — if no uploads)*', { value: null, required: false }],
    ['*(empty → use the uploaded file)*', { value: '', required: false }],
    ['`true`', { value: 'true', required: false }],
    ['50', { value: '50', required: false }],
    ['mode-dependent', { value: null, required: false }],
    ['unknown', { value: 'unknown', required: false }],
    ['markdown_and_csv', { value: 'markdown_and_csv', required: false }],
    ['none', { value: null, required: false }],
    ['two words', { value: null, required: false }],
    ['first `*.xlsx` in `/app/assets/`', { value: null, required: false }],
    ['', { value: null, required: false }],
  ])('%s', (cell, expected) => {
    expect(parseDefaultCell(cell)).toEqual(expected);
  });
});

describe('variable names from labels', () => {
  it('offers the slug, the slug without parentheses and abbreviations', () => {
    expect(nameCandidates('Results directory')).toEqual(['results_dir']);
    expect(nameCandidates('Input PDF(s)')).toEqual(['input_pdf']);
    expect(nameCandidates('Analysis window (days)')).toEqual(['analysis_window_days', 'analysis_window']);
    expect(nameCandidates('Maximum number of rounds')).toEqual(['maximum_number_of_rounds', 'max_num_of_rounds']);
    expect(nameCandidates('???')).toEqual([]);
  });

  it('matches a used variable whose words all appear in the label', () => {
    expect(looseMatch('Analysis window (days)', ['window_days', 'days'], new Set())).toBe('window_days');
    expect(looseMatch('Analysis window (days)', ['window_days'], new Set(['window_days']))).toBeNull();
    expect(looseMatch('Output directory', ['out_dir'], new Set())).toBeNull();
  });
});
