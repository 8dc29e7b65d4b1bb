import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeRunbookText, MissingParametersError, renderRunbook } from './index';

const CLEAN = readFileSync(new URL('../../../test/fixtures/runbooks/clean/RUNBOOK.md', import.meta.url), 'utf8');
const LINES = CLEAN.split('\n');

/** Runs both entry points; only MissingParametersError may escape rendering. */
function survives(text: string, params: Record<string, string> = {}) {
  const a = analyzeRunbookText(text, { path: 'RUNBOOK.md', manifest: text.length % 3 === 0 ? text : undefined });
  expect(Array.isArray(a.diagnostics)).toBe(true);
  for (const d of a.diagnostics) expect(d.range.line).toBeGreaterThanOrEqual(1);
  JSON.stringify(a);
  try {
    expect(typeof renderRunbook(text, params)).toBe('string');
  } catch (err) {
    if (!(err instanceof MissingParametersError)) throw err;
    expect(err.missing.length).toBeGreaterThan(0);
  }
}

const yamlish = fc
  .array(
    fc.oneof(
      fc.tuple(fc.constantFrom('version', 'agent', 'model', 'evaluation', 'secrets', 'primary_outputs', 'x'), fc.string()).map(([k, v]) => `${k}: ${v}`),
      fc.constantFrom('  - a', '  KEY:', '    env: KEY', '    required: maybe', '- [', '{', '&a [*a]', '"unterminated', '\t', '---', '```', '# h'),
      fc.string(),
    ),
    { maxLength: 12 },
  )
  .map((lines) => `---\n${lines.join('\n')}\n---\n# Title\n`);

const bodyPiece = fc.oneof(
  fc.constantFrom('{{', '}}', '{{x}}', '{{secrets.A}}', '{{results_dir}}', '| a | b |', '|---|---|', '## Parameters', '```', '~~~', '#', '# ', '\r', '\uFEFF', '\0', '\uD800'),
  fc.string({ unit: 'binary' }),
);

describe('fuzzing analyzeRunbookText and renderRunbook', () => {
  it('survives random strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => survives(s)), { numRuns: 1500 });
  });

  it('survives frontmatter-ish YAML', () => {
    fc.assert(fc.property(yamlish, (s) => survives(s)), { numRuns: 1000 });
  });

  it('survives mutated runbooks', () => {
    const mutated = fc
      .array(fc.tuple(fc.nat(LINES.length - 1), fc.oneof(fc.constant(null), bodyPiece)), { minLength: 1, maxLength: 8 })
      .map((edits) => {
        const lines = [...LINES];
        for (const [at, piece] of edits) {
          if (piece === null) lines.splice(at, 1);
          else lines.splice(at, 0, piece);
        }
        return lines.join(edits.length % 2 ? '\r\n' : '\n');
      });
    fc.assert(fc.property(mutated, fc.dictionary(fc.string(), fc.string()), (s, params) => survives(s, params)), { numRuns: 1000 });
  });
});
