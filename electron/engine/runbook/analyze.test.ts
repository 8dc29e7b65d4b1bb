import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunbookAnalysis } from '../../../shared/runbook';
import { RETIRED_CODES } from './codes';
import { analyzeRunbookText, CODES, type Code } from './index';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/runbooks/${name}`, import.meta.url), 'utf8');
const CLEAN = fixture('clean/RUNBOOK.md');

const lint = (text: string, manifest?: string) => analyzeRunbookText(text, { path: 'RUNBOOK.md', manifest });
const codesOf = (a: RunbookAnalysis) => a.diagnostics.map((d) => d.code);
const only = (a: RunbookAnalysis, code: Code) => a.diagnostics.filter((d) => d.code === code);

/** Replaces exactly one occurrence, so a fixture edit that stops matching fails loudly. */
function edit(text: string, from: string | RegExp, to: string): string {
  const next = text.replace(from, to);
  if (next === text) throw new Error(`fixture edit did not apply: ${String(from)}`);
  return next;
}

describe('the clean fixture', () => {
  it('has no diagnostics and the expected parameters, secrets and variables', () => {
    const a = lint(CLEAN);
    expect(a.diagnostics).toEqual([]);
    expect(a.parameters.map((p) => [p.name, p.default, p.required, p.type])).toEqual([
      ['results_dir', '/app/results', false, 'text'],
      ['city', null, true, 'text'],
      ['units', 'metric', false, 'text'],
      ['days', '3', false, 'number'],
    ]);
    expect(a.secrets).toEqual([{ name: 'WEATHER_TOKEN', env: 'WEATHER_TOKEN', required: true, description: 'Token for the weather API' }]);
    expect(a.variables).toEqual(['city', 'units', 'results_dir', 'days']);
    expect(a.title).toBe('Weather Report — Agent Runbook');
    expect(a.settings).toEqual({ agent: 'claude-code', model: 'claude-sonnet-4-6', snapshot: 'python312-uv', image: null });
  });

  it('builds the heading tree with line ranges, ignoring # lines in code fences', () => {
    const a = lint(CLEAN);
    expect(a.headings).toHaveLength(1);
    const [root] = a.headings;
    expect(root).toMatchObject({ level: 1, text: 'Weather Report — Agent Runbook', line: 16 });
    expect(root.endLine).toBe(CLEAN.split('\n').length);
    expect(root.children.map((c) => c.text)).toEqual([
      'Objective',
      'REQUIRED OUTPUT FILES (MANDATORY)',
      'Parameters',
      'Step 1: Environment Setup',
      'Step 2: Evaluate Outputs',
      'Step 3: Iterate on Errors (max 3 rounds)',
      'Final Checklist (MANDATORY)',
    ]);
    expect(root.children[0]).toMatchObject({ line: 18, endLine: 21 });
  });
});

/** One edit of the clean fixture per diagnostic code. */
const CASES: [Code, string | (() => RunbookAnalysis), RegExp][] = [
  ['RB001', edit(CLEAN, 'agent: claude-code', 'agent: [claude-code'), /invalid YAML.*line 5/],
  ['RB002', '---\nversion: "1.0.0"\n# Title\n', /never closed/],
  ['RB003', '---\n- a\n- b\n---\n# Title\n', /YAML list, not a mapping/],
  ['RB004', edit(CLEAN, 'agent: claude-code', 'agent: 5'), /'agent'/],
  ['RB005', edit(CLEAN, 'version: "1.0.0"\n', ''), /no `version`/],
  ['RB006', edit(CLEAN, 'version: "1.0.0"', 'version: 1.0'), /^version 1 is not a semver string/],
  ['RB007', edit(CLEAN, 'evaluation: programmatic', 'evaluation: visual'), /'visual'/],
  ['RB008', edit(CLEAN, 'agent: claude-code', 'agent: opencode'), /unknown agent 'opencode'/],
  ['RB009', edit(CLEAN, 'model: claude-sonnet-4-6', 'model: gpt-5.4'), /belongs to codex/],
  ['RB010', edit(CLEAN, 'Fetch the forecast', 'Fetch {{region}} forecast'), /'region' is used but not declared/],
  ['RB011', edit(CLEAN, '| Days |', '| Extra | `{{extra}}` | `x` | unused |\n| Days |'), /'extra' is never referenced as \{\{extra\}\}/],
  ['RB012', edit(CLEAN, 'Fetch the forecast', 'Use {{secrets.NOPE}} to fetch the forecast'), /secret 'NOPE'/],
  ['RB014', CLEAN.replaceAll('validation_report.json', 'checks.json'), /never asks for validation_report.json/],
  ['RB015', edit(CLEAN, /\| `\{\{results_dir\}\}\/summary\.md`.*\n/, ''), /does not list summary\.md/],
  ['RB016', edit(CLEAN, '## REQUIRED OUTPUT FILES (MANDATORY)', '## Files'), /no REQUIRED OUTPUT FILES/],
  ['RB017', edit(edit(CLEAN, 'Step 2: Evaluate Outputs', 'Step 2: Look around'), '| Check | PASS | FAIL |', '| Check | Yes | No |'), /no evaluation step/],
  ['RB018', edit(edit(CLEAN, ' (max 3 rounds)', ''), ', up to 3 times', ''), /iterates without a bound/],
  ['RB019', edit(CLEAN, 'Final Checklist (MANDATORY)', 'Wrap-up'), /no final checklist/],
  ['RB020', CLEAN.slice(CLEAN.indexOf('# Weather')), /no YAML frontmatter/],
  ['RB021', ' \n\n', /empty/],
  ['RB022', `${CLEAN}\0`, /NUL bytes/],
  ['RB023', `${CLEAN}${'x'.repeat(6 * 1024 * 1024)}`, /limit is 5 MB/],
  ['RB024', () => lint(CLEAN, '{ "inputs": ['), /manifest\.json: not valid JSON/],
  ['RB025', '---js\n{ version: "1.0.0" }\n---\n# Title\n', /language 'js' is not supported/],
  ['RB026', edit(CLEAN, '| Days |', '| City again | `{{city}}` | `x` | dup |\n| Days |'), /'city' is declared twice/],
  ['RB027', edit(CLEAN, '| Days |', '| | | `x` | nameless |\n| Days |'), /no usable name/],
  ['RB028', `${CLEAN}\n\`\`\`bash\necho open\n`, /never closed/],
  ['RB029', edit(CLEAN, 'evaluation: programmatic\n', ''), /no `evaluation`/],
  ['RB030', edit(CLEAN, '## Step 3: Iterate on Errors (max 3 rounds)', '## Step 3: Polish'), /no iteration step/],
  ['RB031', edit(CLEAN, '  - report.md', '  - 42'), /'primary_outputs\.0'/],
  ['RB032', edit(CLEAN, 'snapshot: python312-uv', 'image: acme/tools:1'), /agent 'claude-code' runs its CLI inside image 'acme\/tools:1'/],
  ['RB033', edit(CLEAN, 'model: claude-sonnet-4-6', 'model: black-forest-labs/flux-schnell\nmodel_provider: replicate'), /served by 'replicate', a tool's provider: the agent \(claude-code\) runs claude-sonnet-4-6/],
  [
    'RB034',
    () => analyzeRunbookText(edit(CLEAN, 'snapshot: python312-uv', 'snapshot: text-to-cad'), { path: 'RUNBOOK.md', snapshots: { has: (s) => s === 'python312-uv', all: () => ['python312-uv'] } }),
    /snapshot 'text-to-cad' has no Dockerfile in this Jetty \(it has python312-uv\)/,
  ],

  ['RB035', edit(CLEAN, 'primary_outputs:', 'mcp_servers:\n  docs:\n    command: python3\n    header: x\nprimary_outputs:'), /MCP server 'docs': unknown setting 'header'/],
  ['RB036', edit(CLEAN, 'primary_outputs:', 'mcp_servers:\n  docs:\n    url: ws://docs.example/mcp\nprimary_outputs:'), /MCP server 'docs': url "ws:\/\/docs.example\/mcp" is not an http\(s\) URL/],
  ['RB037', edit(CLEAN, 'primary_outputs:', 'mcp_servers:\n  docs:\n    command: docs-server\n    args: ["--token", "{{secrets.WEATHER_TOKEN}}"]\nprimary_outputs:'), /secret 'WEATHER_TOKEN' is in its command or args/],
  ['RB038', () => analyzeRunbookText(CLEAN, { path: 'RUNBOOK.md', collection: '{"mcp_servers": ' }), /^collection\.json: not valid JSON/],
];

describe('diagnostic codes', () => {
  it.each(CASES)('%s', (code, input, message) => {
    const a = typeof input === 'string' ? lint(input) : input();
    const found = only(a, code);
    expect(found.length, `expected ${code}, got ${codesOf(a).join(', ')}`).toBeGreaterThan(0);
    expect(found[0].message).toMatch(message);
    expect(found.map((d) => d.severity)).toEqual(found.map(() => CODES[code].severity));
    expect(found[0].range.line).toBeGreaterThanOrEqual(1);
    expect(found[0].range.column).toBeGreaterThanOrEqual(1);
  });

  it('covers every code in CODES', () => {
    expect(CASES.map(([code]) => code).sort()).toEqual(Object.keys(CODES).sort());
  });

  it('never gives a retired code to another rule', () => {
    expect(Object.keys(RETIRED_CODES).filter((code) => code in CODES)).toEqual([]);
  });

  it('points a variable error at the exact braces', () => {
    const text = edit(CLEAN, 'Fetch the forecast', 'Fetch {{region}} forecast');
    const [d] = only(lint(text), 'RB010');
    const line = text.split('\n').findIndex((l) => l.includes('{{region}}')) + 1;
    expect(d.range).toEqual({ line, column: 7, endLine: line, endColumn: 17 });
  });

  it('reports a YAML error at its line and column in file coordinates', () => {
    const [d] = only(lint('---\nversion: "1.0.0"\nmodel: x\nmodel: y\n---\n# T\n'), 'RB001');
    expect(d.message).toMatch(/duplicated mapping key/);
    expect(d.range.line).toBe(4);
  });

  it('says RB011 once, as an info, whether the table named the variable or it was inferred, and never advises removing the row', () => {
    const withColumn = edit(CLEAN, '| Days |', '| Extra | `{{extra}}` | `x` | unused |\n| Days |');
    const text = edit(CLEAN, '| Parameter | Template Variable | Default | Description |\n|-----------|-------------------|---------|-------------|', '| Parameter | Default | Description |\n|---|---|---|');
    const inferred = edit(text.replace(/\| `\{\{(\w+)\}\}` \|/g, '|'), '| Units | `metric` |', '| Extra | `x` | never |\n| Units | `metric` |');
    const [named, guessed] = [lint(withColumn), lint(inferred)].map((a) => only(a, 'RB011'));
    expect(lint(inferred).parameters.map((p) => p.name)).toEqual(['results_dir', 'city', 'extra', 'units', 'days']);
    for (const found of [named, guessed]) {
      expect(found.map((d) => [d.severity, d.message, d.hint])).toEqual([
        ['info', "parameter 'extra' is never referenced as {{extra}}: the agent sees its value only in the run's parameter list", 'Write {{extra}} where the runbook needs the value; the form field stays either way.'],
      ]);
    }
  });

  it('advises merging or renaming a parameter declared twice, not removing a row', () => {
    const [d] = only(lint(edit(CLEAN, '| Days |', '| City again | `{{city}}` | `x` | dup |\n| Days |')), 'RB026');
    expect([d.message, d.hint]).toEqual(["parameter 'city' is declared twice: only the first row is a form field", 'Merge the two rows, or give this one its own name.']);
  });

  it('words RB006 one way, whether YAML read the version as a number or as a string', () => {
    expect(only(lint(edit(CLEAN, 'version: "1.0.0"', 'version: 1.0')), 'RB006').map((d) => d.message)).toEqual(['version 1 is not a semver string (MAJOR.MINOR.PATCH)']);
    expect(only(lint(edit(CLEAN, 'version: "1.0.0"', 'version: "1.0"')), 'RB006').map((d) => d.message)).toEqual(['version "1.0" is not a semver string (MAJOR.MINOR.PATCH)']);
  });
});

describe('template variables in code blocks', () => {
  const withStep = (code: string, fence = 'python') => `${CLEAN}\n## Step 4: Script\n\n\`\`\`${fence}\n${code}\n\`\`\`\n`;

  it('reads {{x}} in a Python f-string as escaped braces, not a variable', () => {
    const a = lint(withStep('label = f"{{name}}: {city}"\nprint(f"""\n{{other}}\n""")'));
    expect(codesOf(a)).not.toContain('RB010');
    expect(a.variables).not.toContain('name');
    expect(a.variables).not.toContain('other');
  });

  it('still catches undeclared variables in Python strings, code and replacement fields', () => {
    const a = lint(withStep(`open("{{inbox}}/x")\nn = {{count}}\nq = f"{int('{{window}}')} days"`));
    expect(only(a, 'RB010').map((d) => d.message.match(/'(\w+)'/)?.[1])).toEqual(['inbox', 'count', 'window']);
  });

  it('keeps {{x}} in shell blocks a variable, f-string look-alikes included', () => {
    expect(only(lint(withStep('echo f"{{region}}"', 'bash')), 'RB010')).toHaveLength(1);
  });
});

describe('validation_report.json and the kind of evaluation', () => {
  const withoutReport = (evaluation: string) => CLEAN.replace('evaluation: programmatic', `evaluation: ${evaluation}`).replaceAll('validation_report.json', 'checks.json');

  it('is one warning whatever the evaluation: the run completes, it records no pass/fail', () => {
    const found = ['visual', 'rubric', 'programmatic'].map((kind) => only(lint(withoutReport(kind)), 'RB014'));
    found.push(only(lint(edit(withoutReport('programmatic'), 'evaluation: programmatic\n', '')), 'RB014'));
    for (const diagnostics of found) {
      expect(diagnostics.map((d) => [d.severity, d.message])).toEqual([['warning', 'the runbook never asks for validation_report.json, so a run records no evaluation: only a person reading its outputs can judge it']]);
    }
  });
});

describe('bad input', () => {
  it('gives the same diagnostics and positions for CRLF and a BOM', () => {
    const broken = edit(CLEAN, 'Fetch the forecast', 'Fetch {{region}} forecast');
    const windows = `\uFEFF${broken.replace(/\n/g, '\r\n')}`;
    expect(lint(windows).diagnostics).toEqual(lint(broken).diagnostics);
    expect(lint(windows).parameters).toEqual(lint(broken).parameters);
  });

  it('keeps YAML error lines right with CRLF and a BOM', () => {
    const [d] = only(lint('\uFEFF---\r\nversion: "1.0.0"\r\nagent: [x\r\nmodel: y\r\n---\r\n# T\r\n'), 'RB001');
    expect(d.range.line).toBe(4);
  });

  it('handles tabs and non-ASCII text', () => {
    const text = edit(CLEAN, '| Days |', '| Größe\t📏 | `{{groesse}}` | `groß` | Maß |\n| Days |').replace('Fetch the forecast', 'Fetch\tthe 天気 {{groesse}} forecast');
    const a = lint(text);
    expect(a.diagnostics).toEqual([]);
    expect(a.parameters.find((p) => p.name === 'groesse')).toMatchObject({ label: 'Größe\t📏', default: 'groß' });
  });

  it('reports frontmatter that only has comments or is empty as missing keys, not a crash', () => {
    expect(codesOf(lint('---\n# just a comment\n---\n# T\n'))).toContain('RB005');
    expect(codesOf(lint('---\n---\n# T\n'))).toContain('RB005');
  });

  it('never evaluates JavaScript frontmatter', () => {
    const marker = '__jetty_lint_eval_marker__';
    lint(`---javascript\n(globalThis.${marker} = true, {})\n---\n# T\n`);
    expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();
  });

  it('survives a YAML alias bomb with a clear error', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) levels.push(`${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(9).fill(`*${'abcdefghij'[i - 1]}`).join(',')}]`);
    const a = lint(`---\n${levels.join('\n')}\n---\n# T\n`);
    expect(only(a, 'RB001')[0].message).toMatch(/more than 10000 values/);
    expect(JSON.stringify(a).length).toBeLessThan(100_000);
  });

  it('lists undeclared variables of an unusable file so rendering can still name them', () => {
    const a = lint(`${CLEAN}\0`);
    expect(a.variables).toContain('city');
    expect(a.parameters).toEqual([]);
  });
});
