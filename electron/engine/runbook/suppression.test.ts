import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeRunbookText } from './index';
import { frontmatterIgnores, ignoreInFolderConfig, ignoreInRunbookFix } from './suppression';
import { applyEdits } from './text-edits';
import { parseFrontmatter } from './frontmatter';
import { toSourceText } from './source-text';

const CLEAN = readFileSync(new URL('../../../test/fixtures/runbooks/clean/RUNBOOK.md', import.meta.url), 'utf8');
/** The runbook's `lint_ignore` after the fix is applied. */
const ignoredAfterFix = (text: string, code: string) => {
  const fix = ignoreInRunbookFix(text, code);
  if (!fix) throw new Error('no fix');
  const fixed = applyEdits(text, fix.edits);
  return { fixed, codes: frontmatterIgnores(parseFrontmatter(toSourceText(fixed)).data) };
};

describe('ignoring a rule in a runbook', () => {
  it('adds lint_ignore before the closing --- when there is none, and the rule is silenced', () => {
    const text = CLEAN.replace('Step 2: Evaluate Outputs', 'Step 2: Look around').replace('| Check | PASS | FAIL |', '| Check | Yes | No |');
    const codesOf = (t: string) => analyzeRunbookText(t, { path: 'RUNBOOK.md' }).diagnostics.map((d) => d.code);
    expect(codesOf(text)).toContain('RB017');
    const { fixed, codes } = ignoredAfterFix(text, 'RB017');
    expect(codes).toEqual(['RB017']);
    expect(codesOf(fixed)).not.toContain('RB017');
    expect(fixed.split('\n').slice(0, 16).join('\n')).toContain('lint_ignore: [RB017]\n---');
  });

  it('extends a flow list or a block list into one flow list, and says nothing when the rule is already ignored', () => {
    const flow = CLEAN.replace('---\n', '---\nlint_ignore: [RB030]\n');
    expect(ignoredAfterFix(flow, 'RB017').codes).toEqual(['RB030', 'RB017']);
    const block = CLEAN.replace('---\n', '---\nlint_ignore:\n  - RB030\n  - RB031\n');
    const { fixed, codes } = ignoredAfterFix(block, 'RB017');
    expect(codes).toEqual(['RB030', 'RB031', 'RB017']);
    expect(fixed).not.toContain('  - RB030');
    expect(ignoreInRunbookFix(flow, 'RB030')).toBeNull();
  });

  it('writes a frontmatter into a runbook without one, and refuses to edit invalid YAML by lines', () => {
    expect(ignoredAfterFix('# Just a title\n', 'RB004').fixed).toBe('---\nlint_ignore: [RB004]\n---\n# Just a title\n');
    expect(ignoreInRunbookFix('---\nagent: [oops\n---\n# T\n', 'RB017')).toBeNull();
  });
});

describe('ignoring a rule in a folder', () => {
  it('adds the code to .jettylintrc.json, keeping its other keys; null when already there; refuses a file that is not a JSON object', () => {
    expect(JSON.parse(ignoreInFolderConfig(null, 'RB030')!)).toEqual({ ignore: ['RB030'] });
    expect(JSON.parse(ignoreInFolderConfig('{"root": true, "ignore": ["RB017"]}', 'RB030')!)).toEqual({ root: true, ignore: ['RB017', 'RB030'] });
    expect(ignoreInFolderConfig('{"ignore": "RB030"}', 'RB030')).toBeNull();
    expect(() => ignoreInFolderConfig('{oops', 'RB030')).toThrow(/not valid JSON/);
    expect(() => ignoreInFolderConfig('[]', 'RB030')).toThrow(/not a JSON object/);
  });
});
