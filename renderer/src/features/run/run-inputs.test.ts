import { describe, expect, it } from 'vitest';
import type { Parameter } from '../../../../shared/runbook';
import { accepts, fileChoices, runInput } from './file-choices';
import { applyExample } from './example-values';
import { rerunValues } from './rerun-values';

const param = (name: string, type: Parameter['type'], extra: Partial<Parameter> = {}): Parameter => ({ name, label: name, default: null, required: false, type, ...extra });
const ID_A = '0123456789abcdef';
const ID_B = 'fedcba9876543210';

describe('run inputs in the run panel', () => {
  it('accepts files as <input accept> does: extensions, media types, wildcards; nothing listed accepts all', () => {
    expect(accepts('.txt,.md', { name: 'Notes.TXT', type: '' })).toBe(true);
    expect(accepts('.txt', { name: 'notes.pdf', type: 'application/pdf' })).toBe(false);
    expect(accepts('image/*', { name: 'a.png', type: 'image/png' })).toBe(true);
    expect(accepts('application/pdf', { name: 'a', type: 'application/pdf' })).toBe(true);
    expect(accepts(undefined, { name: 'x.bin', type: '' })).toBe(true);
  });

  it('sends uploads by id and host paths as files; the runbook sees /app/assets/<name>', () => {
    const parameters = [param('text_file', 'file'), param('top', 'number')];
    const input = runInput(parameters, { text_file: `upload:${ID_A}:notes.txt\n/home/ada/more.txt`, top: '5' });
    expect(input).toEqual({ params: { text_file: '/app/assets/notes.txt, /app/assets/more.txt', top: '5' }, files: ['/home/ada/more.txt'], uploads: [ID_A] });
  });

  it('fills an example: values by name or label, each file in the parameter its key names', () => {
    const parameters = [param('template_workbook', 'file', { label: 'Template workbook' }), param('fill_data', 'file', { label: 'Fill data' }), param('output_basename', 'text')];
    const example = { id: 'b', title: 'B', values: { output_basename: 'budget' }, files: [{ key: 'data', path: 'examples/b/d.json' }, { key: 'template', path: 'examples/b/t.xlsx' }] };
    const next = applyExample(parameters, {}, example, [{ id: ID_A, name: 'd.json', size: 1 }, { id: ID_B, name: 't.xlsx', size: 1 }]);
    expect(next).toEqual({ output_basename: 'budget', fill_data: `upload:${ID_A}:d.json`, template_workbook: `upload:${ID_B}:t.xlsx` });
  });

  it('turns a trajectory back into values: its kept files as uploads, files not kept left to choose again, the rest as text', () => {
    const values = rerunValues({ text_file: '/app/assets/notes.txt', top: '5', flags: { a: 1 }, gone: '/app/assets/missing.txt' }, [{ id: ID_A, name: 'notes.txt', size: 3 }]);
    expect(values).toEqual({ text_file: `upload:${ID_A}:notes.txt`, top: '5', flags: '{"a":1}', gone: '' });
    expect(fileChoices(values.text_file)).toEqual([{ kind: 'upload', id: ID_A, name: 'notes.txt' }]);
  });
});
