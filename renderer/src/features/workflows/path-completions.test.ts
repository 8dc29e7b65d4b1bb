import { describe, expect, it } from 'vitest';
import type { WorkflowActivity } from '../../../../shared/contract';
import { stringAtOffset } from './json-cursor';
import { pathSuggestions, pathValueStep } from './path-completions';

const activities: WorkflowActivity[] = [
  { activity_name: 'text_echo', category: 'text', description: '', parameters: [{ name: 'text', type: 'string', description: '', required: true }], outputs: ['text'] },
  { activity_name: 'text_split', category: 'text', description: '', parameters: [{ name: 'text', type: 'string', description: '', required: true }], outputs: ['chunks'] },
];

const doc = {
  init_params: { topic: 'x', n: 2 },
  step_configs: { split: { activity: 'text_split' }, say: { activity: 'text_echo' }, last: { activity: 'text_echo' } },
  steps: ['split', 'say', 'last'],
};

describe('path completions', () => {
  it('offers init params and the outputs and inputs of earlier steps only', () => {
    expect(pathSuggestions(doc, 'say', activities).map((s) => s.expression)).toEqual([
      'init_params.topic',
      'init_params.n',
      'split.outputs',
      'split.outputs.chunks',
      'split.inputs.text',
    ]);
    expect(pathSuggestions(doc, 'split', activities).map((s) => s.expression)).toEqual(['init_params.topic', 'init_params.n']);
  });

  it('applies inside *_path values of a step config (nested objects and arrays of paths), not elsewhere', () => {
    const step = (marked: string, prefix: (string | number)[] = []) => pathValueStep(stringAtOffset(marked.replace('|', ''), marked.indexOf('|'))!, prefix);
    expect(step('{"step_configs": {"say": {"text_path": "|"}}}')).toBe('say');
    expect(step('{"step_configs": {"fan": {"additional_params": {"x_path": "sp|"}}}}')).toBe('fan');
    expect(step('{"step_configs": {"judge": {"items_path": ["a", "|"]}}}')).toBe('judge');
    expect(step('{"workflow": {"step_configs": {"say": {"text_path": "|"}}}}', ['workflow'])).toBe('say');
    expect(step('{"step_configs": {"say": {"text": "|"}}}')).toBeNull();
    expect(step('{"step_configs": {"say": {"text_path|": ""}}}')).toBeNull();
    expect(step('{"init_params": {"a_path": "|"}}')).toBeNull();
  });
});
