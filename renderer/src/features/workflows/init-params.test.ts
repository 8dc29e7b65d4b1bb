import { describe, expect, it } from 'vitest';
import { defaultValues } from '../run/ParameterForm';
import { initParamFields, initParamValues } from './init-params';

const init = { topic: 'ships', count: 3, strict: false, tags: ['a'], nothing: null };

describe('init params as a parameter form', () => {
  it('gives one field per init param, typed and defaulted by its value', () => {
    expect(initParamFields(init).map((p) => [p.name, p.type, p.default])).toEqual([
      ['topic', 'text', 'ships'],
      ['count', 'number', '3'],
      ['strict', 'boolean', 'false'],
      ['tags', 'text', '["a"]'],
      ['nothing', 'text', ''],
    ]);
  });

  it('turns the form back into init params of the same types', () => {
    const values = { ...defaultValues(initParamFields(init)), count: '7', strict: 'true', tags: '["b", "c"]' };
    expect(initParamValues(init, values)).toEqual({ topic: 'ships', count: 7, strict: true, tags: ['b', 'c'], nothing: '' });
  });

  it('refuses a number or JSON field that does not parse, naming it', () => {
    expect(() => initParamValues(init, { count: 'many' })).toThrow('count: a number, please');
    expect(() => initParamValues(init, { tags: '[oops' })).toThrow('tags: not valid JSON');
  });
});
