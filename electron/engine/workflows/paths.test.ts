import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Budget } from './bounds';
import { evaluatePath, interpolate, parsePath, PathResolutionError, PathSyntaxError, resolvePath, templateReferences, type PathScope } from './paths';

const key = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/);
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(key, tie('value'), { maxKeys: 4 })),
})).value;

/** Every (path text, value) pair reachable in a value, by walking it. */
function leaves(value: unknown, prefix: string): [string, unknown][] {
  const out: [string, unknown][] = [[prefix, value]];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...leaves(v, `${prefix}[${i}]`)));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...leaves(v, `${prefix}.${k}`));
  return out;
}

describe('path expressions', () => {
  it('every reachable place in a step output evaluates to the value there', () => {
    fc.assert(
      fc.property(fc.dictionary(key, json, { maxKeys: 5 }), (outputs) => {
        const scope: PathScope = { init_params: {}, steps: { s: { inputs: {}, outputs } } };
        for (const [text, value] of leaves(outputs, 's.outputs')) expect(resolvePath(text, scope)).toEqual(value);
      }),
    );
  });

  it('[*] maps the rest of the path over an array', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ id: fc.integer(), name: fc.string() }), { maxLength: 8 }), (items) => {
        const scope: PathScope = { init_params: { items }, steps: {} };
        expect(resolvePath('init_params.items[*].id', scope)).toEqual(items.map((i) => i.id));
        expect(resolvePath('init_params.items[*]', scope)).toEqual(items);
      }),
    );
  });

  it('a missing key names where it stopped and what was there', () => {
    fc.assert(
      fc.property(fc.dictionary(key, fc.integer(), { maxKeys: 4 }), key, (outputs, missing) => {
        fc.pre(!(missing in outputs));
        const r = evaluatePath(parsePath(`s.outputs.${missing}`), { init_params: {}, steps: { s: { inputs: {}, outputs } } });
        expect(r).toEqual({ found: false, at: `s.outputs.${missing}`, there: outputs });
      }),
    );
    expect(() => resolvePath('gone.outputs.text', { init_params: {}, steps: {} })).toThrow(PathResolutionError);
  });

  it('refuses malformed expressions', () => {
    for (const bad of ['', 'step', 'step.text', 'step.outputs..x', 'init_params.a[', 'init_params.a[x]', '.outputs']) {
      expect(() => parsePath(bad), bad).toThrow(PathSyntaxError);
    }
    expect(parsePath('step1.inputs.prompt')).toMatchObject({ root: 'step1', section: 'inputs', segments: [{ kind: 'key', key: 'prompt' }] });
  });

  it('fills {{ references }} to known roots and leaves other placeholders alone', () => {
    fc.assert(
      fc.property(fc.string().filter((s) => !s.includes('{') && !s.includes('}')), (text) => {
        const scope: PathScope = { init_params: { q: text }, steps: { a: { inputs: {}, outputs: { n: 3 } } } };
        expect(interpolate('Q: {{ init_params.q }} / {{a.outputs.n}} / {{ name }}', scope, new Set(['a']), new Budget('inputs', Infinity))).toBe(`Q: ${text} / 3 / {{ name }}`);
      }),
    );
  });

  it('finds {{ references }} in time linear in the text: `{{` and 3,000 spaces took seconds with the regular expression it used (cubic)', () => {
    const roots = new Set(['a']);
    const started = performance.now();
    for (const text of ['{{' + ' '.repeat(3000), '{{'.repeat(100_000) + ' '.repeat(2000), '{{ a'.repeat(100_000)]) {
      expect(templateReferences(text, roots)).toEqual([]);
    }
    expect(templateReferences(`x {{${' '.repeat(300)}a.outputs.x${' '.repeat(300)}}} y`, roots).map((r) => r.text)).toEqual(['a.outputs.x']);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
