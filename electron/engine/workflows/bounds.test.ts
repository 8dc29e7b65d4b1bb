import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Budget, StepBoundError } from './bounds';
import { forEachReference, interpolate, type PathScope } from './paths';

/** The regular expression the scanner replaced, as the reference of what a reference is. */
const REFERENCE = /\{\{\s*([^{}]+?)\s*\}\}/g;

const referencesOf = (text: string) => {
  const found: [string, number, number][] = [];
  forEachReference(text, (inner, start, end) => found.push([inner.trim(), start, end]));
  return found;
};

describe('{{ }} references', () => {
  it('are found where the regular expression found them', () => {
    const piece = fc.constantFrom('{', '}', '{{', '}}', ' ', 'a', '.', 'init_params.x', '\n');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }).map((p) => p.join('')), (text) => {
        const expected = [...text.matchAll(REFERENCE)].map((m) => [m[1].trim(), m.index, m.index + m[0].length]);
        expect(referencesOf(text)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('bounded expansion', () => {
  const scope: PathScope = { init_params: { a: 'x'.repeat(1000), n: { deep: [1, 2, 3] } }, steps: {} };
  const roots = new Set<string>();

  it('stops a text that would expand past the bound at the reference that passes it, before building it', () => {
    const text = '{{ init_params.a }}'.repeat(200_000);
    const budget = new Budget('its resolved inputs', 4 * 1024 * 1024, Infinity);
    const started = performance.now();
    expect(() => interpolate(text, scope, roots, budget)).toThrow(StepBoundError);
    expect(() => interpolate(text, scope, roots, new Budget('its resolved inputs', 4 * 1024 * 1024, Infinity))).toThrow(
      /^its resolved inputs pass the bound of 4,194,304 characters: 4,195,\d{3} reached at \{\{ init_params\.a \}\}$/,
    );
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('counts filled references against their own bound', () => {
    const budget = new Budget('its resolved inputs', Infinity, 10);
    expect(interpolate('{{ init_params.n }}'.repeat(10), scope, roots, budget)).toBe('{"deep":[1,2,3]}'.repeat(10));
    expect(() => interpolate('{{ init_params.n }}', scope, roots, budget)).toThrow('its resolved inputs fill more than 10 {{ }} references (the bound), the last at {{ init_params.n }}');
  });

  it('measures a value no further than the bound: a huge value costs the walk up to the bound', () => {
    const huge = Array.from({ length: 2_000_000 }, (_, i) => ({ i }));
    const started = performance.now();
    expect(() => new Budget('its outputs', 1000).measure(huge)).toThrow(StepBoundError);
    expect(performance.now() - started).toBeLessThan(50);
    const exact = new Budget('x', Infinity);
    const value = { a: [1, 'bc', null, true], d: { e: false } };
    exact.measure(value);
    expect(exact.chars).toBe(JSON.stringify(value).length);
  });
});
