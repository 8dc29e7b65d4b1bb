import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MissingParametersError, parseRunbook, renderRunbook } from './index';

const CLEAN = readFileSync(new URL('../../../test/fixtures/runbooks/clean/RUNBOOK.md', import.meta.url), 'utf8');

describe('renderRunbook', () => {
  it('substitutes parameters, applies defaults and sets results_dir', () => {
    const out = renderRunbook(CLEAN, { city: 'Lyon' });
    expect(out).toContain('Fetch the forecast for Lyon and write a short report in metric units.');
    expect(out).toContain('mkdir -p /app/results');
    expect(out).toContain('?days=3"');
    expect(out).not.toMatch(/\{\{(?!secrets\.)\w+\}\}/);
  });

  it('uses the resultsDir option over any results_dir parameter', () => {
    const out = renderRunbook(CLEAN, { city: 'Lyon', results_dir: '/tmp/elsewhere' }, { resultsDir: './results' });
    expect(out).toContain('mkdir -p ./results');
    expect(out).not.toContain('/tmp/elsewhere');
  });

  it('keeps secrets as environment references, never values', () => {
    const withEnv = CLEAN.replace('    env: WEATHER_TOKEN', '    env: WX_TOKEN');
    const out = renderRunbook(withEnv, { city: 'Lyon', 'secrets.WEATHER_TOKEN': 'hunter2' });
    expect(out).toContain('Authorization: Bearer $WX_TOKEN');
    expect(out).not.toContain('hunter2');
  });

  it('fails with every missing required parameter, including undeclared ones', () => {
    const text = CLEAN.replace('Fetch the forecast', 'Fetch {{region}} forecast');
    let error: unknown;
    try {
      renderRunbook(text, {});
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MissingParametersError);
    expect((error as MissingParametersError).missing).toEqual(['city', 'region']);
    expect((error as Error).message).toBe('missing required parameters: city, region');
    expect(() => renderRunbook(text, { city: '', region: 'north' })).toThrow(/missing required parameters: city$/);
  });

  it('substitutes values literally, once, without re-expanding them', () => {
    const out = renderRunbook(CLEAN, { city: '{{units}} $& $1 {{secrets.X}}' });
    expect(out).toContain('forecast for {{units}} $& $1 {{secrets.X}} and');
  });

  it('renders an already parsed runbook with numbers and booleans as text', () => {
    const parsed = parseRunbook(CLEAN, { path: 'RUNBOOK.md' });
    expect(renderRunbook(parsed, { city: 7, units: true })).toContain('forecast for 7 and write a short report in true units');
  });

  it('leaves an f-string\'s escaped braces in a Python block alone, and substitutes its plain strings', () => {
    const text = `${CLEAN}\n\`\`\`python\nprint(f"{{city}} is {city}")\nprint("{{city}}")\n\`\`\`\n`;
    const out = renderRunbook(text, { city: 'Lyon' });
    expect(out).toContain('print(f"{{city}} is {city}")\nprint("Lyon")');
  });

  it('does not ask for a value the only use of which is an f-string escape', () => {
    const text = `${CLEAN}\n\`\`\`python\nprint(f"{{speaker}}")\n\`\`\`\n`;
    expect(renderRunbook(text, { city: 'Lyon' })).toContain('print(f"{{speaker}}")');
  });

  it('leaves braces that are not template variables alone', () => {
    const text = `${CLEAN}\n\`\`\`\n\${{ secrets.GH }} {{{raw}}} {{a.b}}\n\`\`\`\n`;
    expect(renderRunbook(text, { city: 'x' })).toContain('${{ secrets.GH }} {{{raw}}} {{a.b}}');
  });
});
