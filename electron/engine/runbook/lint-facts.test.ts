import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { analyzeRunbookFile, analyzeRunbookText, LINT_CONFIG_FILE, MissingParametersError, renderRunbook } from './index';

const CLEAN = readFileSync(new URL('../../../test/fixtures/runbooks/clean/RUNBOOK.md', import.meta.url), 'utf8');
const lint = (text: string) => analyzeRunbookText(text, { path: 'RUNBOOK.md' });
const codes = (text: string) => lint(text).diagnostics.map((d) => d.code);

function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture edit did not apply: ${from}`);
  return text.replace(from, to);
}

/** Facts found on real runbooks (issue 15, Build 2). */
describe('lint facts from real runbooks', () => {
  it('reads {{ name }} with inner spaces as a template variable: it renders and is linted', () => {
    const spaced = edit(CLEAN, 'Fetch the forecast for {{city}}', 'Fetch the forecast for {{ city }} ({{ region }})');
    expect(lint(spaced).diagnostics.filter((d) => d.code === 'RB010').map((d) => d.message)).toEqual([
      "variable 'region' is used but not declared in the Parameters table",
    ]);
    const rendered = renderRunbook(edit(CLEAN, 'Fetch the forecast for {{city}}', 'Fetch the forecast for {{ city }} in {{\tunits }}'), { city: 'Lyon' });
    expect(rendered).toContain('Fetch the forecast for Lyon in metric');
    expect(rendered).not.toContain('{{ city }}');
  });

  it('keeps bare-word defaults of the Parameters table', () => {
    const text = edit(CLEAN, '| Days |', '| Format | `{{format}}` | markdown_and_csv | Output format |\n| Region | `{{region}}` | unknown | Where |\n| Days |').replace(
      'Fetch the forecast',
      'Fetch {{format}} {{region}} forecast',
    );
    const byName = Object.fromEntries(lint(text).parameters.map((p) => [p.name, p]));
    expect(byName.format).toMatchObject({ default: 'markdown_and_csv', required: false });
    expect(byName.region).toMatchObject({ default: 'unknown', required: false });
    expect(renderRunbook(text, { city: 'Lyon' })).toContain('Fetch markdown_and_csv unknown forecast');
  });

  it("does not take a tool's model (model_provider: replicate) for the agent's", () => {
    const text = edit(CLEAN, 'model: claude-sonnet-4-6', 'model: black-forest-labs/flux-schnell\nmodel_provider: replicate');
    const a = lint(text);
    expect(a.settings).toMatchObject({ agent: 'claude-code', model: 'claude-sonnet-4-6' });
    expect(a.diagnostics.map((d) => [d.code, d.severity])).toEqual([['RB033', 'info']]);
    // An agent provider's model stays the agent's.
    expect(lint(edit(CLEAN, 'model: claude-sonnet-4-6', 'model: anthropic/claude-opus-4\nmodel_provider: openrouter')).settings.model).toBe('anthropic/claude-opus-4');
  });

  it('finds an evaluation step named like "Run QA", or by what it does', () => {
    const noEval = edit(edit(CLEAN, 'Step 2: Evaluate Outputs', 'Step 2: Look around'), '| Check | PASS | FAIL |', '| Check | Yes | No |');
    expect(codes(noEval)).toContain('RB017');
    expect(codes(edit(noEval, 'Step 2: Look around', 'Step 2: Run QA'))).not.toContain('RB017');
    const byContent = edit(noEval, '| Check | Yes | No |', 'Write `{{results_dir}}/validation_report.json` with the checks.\n\n| Check | Yes | No |');
    expect(codes(byContent)).not.toContain('RB017');
  });
});

/** Shapes found on real runbooks ("Real runbooks run as authored", lint item). */
describe('lint true on real runbooks', () => {
  const roots: string[] = [];
  afterAll(() => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));
  const tempDir = async (prefix: string) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
    roots.push(dir);
    return dir;
  };
  const withStep = (...lines: string[]) => `${CLEAN}\n## Step 4: Stamp the report\n\n${lines.join('\n')}\n`;

  it('says nothing of a secret without env (it reaches the sandbox under its own name: runs/prepare.test.ts)', () => {
    const a = lint(edit(CLEAN, '    env: WEATHER_TOKEN\n', ''));
    expect(a.diagnostics).toEqual([]);
    expect(a.secrets).toEqual([{ name: 'WEATHER_TOKEN', env: null, required: true, description: 'Token for the weather API' }]);
  });

  it('reports a secret whose variable name no shell can read, whether that name comes from env or from the secret (RB004)', () => {
    const named = edit(edit(CLEAN, 'WEATHER_TOKEN:\n    env: WEATHER_TOKEN\n', 'weather-token:\n'), '{{secrets.WEATHER_TOKEN}}', 'x');
    const badEnv = edit(CLEAN, '    env: WEATHER_TOKEN\n', '    env: weather-token\n');
    expect(lint(named).diagnostics.map((d) => [d.severity, d.code, d.message, d.range.line])).toEqual([
      ['error', 'RB004', "secret 'weather-token' reaches the sandbox as 'weather-token', which is not a valid environment variable name: shells drop it, so no command sees it", 10],
    ]);
    expect(lint(badEnv).diagnostics.map((d) => [d.code, d.message, d.range.line])).toEqual([
      ['RB004', "secret 'WEATHER_TOKEN' reaches the sandbox as 'weather-token', which is not a valid environment variable name: shells drop it, so no command sees it", 11],
    ]);
  });

  it("reads a Python heredoc's f-string braces in a bash block as Python's, not a parameter: no RB010, no form field, not substituted", () => {
    const text = withStep(
      '```bash',
      `python3 - "{{results_dir}}" <<'EOF'`,
      'import datetime, sys',
      'now = datetime.datetime.now().isoformat()',
      'print(f"stamp {{now}} = {now}")',
      'open("{{results_dir}}/stamp.txt", "w").write(f"{{now}}")',
      'EOF',
      'echo "stamped for {{city}}"',
      '```',
    );
    const a = lint(text);
    expect(a.diagnostics).toEqual([]);
    expect(a.variables).not.toContain('now');
    expect(a.parameters.map((p) => p.name)).toEqual(['results_dir', 'city', 'units', 'days']);
    const out = renderRunbook(text, { city: 'Lyon' });
    expect(out).toContain(`python3 - "/app/results" <<'EOF'`);
    expect(out).toContain('print(f"stamp {{now}} = {now}")\nopen("/app/results/stamp.txt", "w").write(f"{{now}}")\nEOF\necho "stamped for Lyon"');
  });

  it.each([
    ['python <<PY', 'PY'],
    ['cat <<"END" | uv run python -', 'END'],
    ['cat > "{{results_dir}}/stamp.py" <<-EOF', 'EOF'],
  ])('finds Python in the heredoc of `%s`', (opening, end) => {
    expect(lint(withStep('```sh', opening, 'print(f"{{now}}")', end, '```')).diagnostics).toEqual([]);
  });

  it('keeps {{name}} a reference in heredocs that are not Python code, and after the heredoc ends', () => {
    const undeclared = (text: string) => lint(text).diagnostics.filter((d) => d.code === 'RB010').map((d) => d.message.match(/'(\w+)'/)?.[1]);
    expect(undeclared(withStep('```bash', 'cat > notes.txt <<EOF', 'f"{{region}}"', 'EOF', '```'))).toEqual(['region']);
    expect(undeclared(withStep('```bash', 'python3 report.py <<EOF', 'f"{{region}}"', 'EOF', '```'))).toEqual(['region']);
    expect(undeclared(withStep('```bash', "python3 - <<'EOF'", 'print(1)', 'EOF', 'echo f"{{region}}"', '```'))).toEqual(['region']);
  });

  it('reads a Default cell "*(required — …)*" as a required field, not an optional one', () => {
    const text = edit(edit(CLEAN, '| Days |', '| Deck source | `{{deck_source}}` | *(required — the uploaded .md or pasted text)* | The deck |\n| Days |'), 'Fetch the forecast', 'From {{deck_source}}, fetch the forecast');
    expect(lint(text).parameters.find((p) => p.name === 'deck_source')).toMatchObject({ required: true, default: null });
    expect(() => renderRunbook(text, { city: 'Lyon' })).toThrow(new MissingParametersError(['deck_source']));
  });

  describe('snapshots (RB034)', () => {
    const saved = process.env.JETTY_SANDBOXES_DIR;
    afterEach(() => {
      if (saved === undefined) delete process.env.JETTY_SANDBOXES_DIR;
      else process.env.JETTY_SANDBOXES_DIR = saved;
    });
    const snapshotDiagnostics = async (file: string) => (await analyzeRunbookFile(file)).diagnostics.map((d) => [d.severity, d.code, d.message, d.range.line]);

    it("are judged against this Jetty's sandbox folders, read at each lint", async () => {
      const sandboxes = await tempDir('jetty-sandboxes-');
      for (const name of ['python312-uv', 'office']) {
        await mkdir(path.join(sandboxes, name));
        await writeFile(path.join(sandboxes, name, 'Dockerfile'), 'FROM scratch\n');
      }
      await mkdir(path.join(sandboxes, 'common'));
      process.env.JETTY_SANDBOXES_DIR = sandboxes;
      const file = path.join(await tempDir('jetty-snapshot-'), 'RUNBOOK.md');

      await writeFile(file, edit(CLEAN, 'snapshot: python312-uv', 'snapshot: text-to-cad'));
      expect(await snapshotDiagnostics(file)).toEqual([
        ['warning', 'RB034', "snapshot 'text-to-cad' has no Dockerfile in this Jetty (it has office, python312-uv): a local run fails unless Docker already has jetty-sandbox/text-to-cad:latest", 6],
      ]);
      await mkdir(path.join(sandboxes, 'text-to-cad'));
      await writeFile(path.join(sandboxes, 'text-to-cad', 'Dockerfile'), 'FROM scratch\n');
      expect(await snapshotDiagnostics(file)).toEqual([]);

      await writeFile(file, edit(CLEAN, 'snapshot: python312-uv', 'snapshot: office'));
      expect(await snapshotDiagnostics(file)).toEqual([]);
      // An image replaces the snapshot: only the image is judged.
      await writeFile(file, edit(CLEAN, 'snapshot: python312-uv', 'snapshot: nowhere\nimage: acme/tools:1'));
      expect((await snapshotDiagnostics(file)).map(([, code]) => code)).toEqual(['RB032']);
    });

    it('are not judged from text alone, with no Jetty to ask', () => {
      expect(lint(edit(CLEAN, 'snapshot: python312-uv', 'snapshot: text-to-cad')).diagnostics).toEqual([]);
    });
  });
});

describe('silencing rules', () => {
  const roots: string[] = [];
  afterAll(() => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));
  const noIteration = edit(CLEAN, '## Step 3: Iterate on Errors (max 3 rounds)', '## Step 3: Polish');

  it('per runbook, with lint_ignore in the frontmatter', () => {
    expect(codes(noIteration)).toEqual(['RB030']);
    expect(codes(edit(noIteration, 'version: "1.0.0"', 'version: "1.0.0"\nlint_ignore: [rb030]'))).toEqual([]);
    expect(codes(edit(noIteration, 'version: "1.0.0"', 'version: "1.0.0"\nlint_ignore: RB017, RB030'))).toEqual([]);
  });

  it('per folder, with .jettylintrc.json in the folder or above it, up to a root one', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'jetty-lintrc-'));
    roots.push(root);
    const file = path.join(root, 'outer', 'collection', 'task', 'RUNBOOK.md');
    await mkdir(path.dirname(file), { recursive: true });
    const broken = edit(noIteration, 'Fetch the forecast', 'Fetch {{region}} forecast');
    await writeFile(file, broken);
    expect((await analyzeRunbookFile(file)).diagnostics.map((d) => d.code)).toEqual(['RB030', 'RB010']);

    await writeFile(path.join(root, 'outer', 'collection', LINT_CONFIG_FILE), JSON.stringify({ ignore: ['RB030'] }));
    await writeFile(path.join(root, 'outer', LINT_CONFIG_FILE), JSON.stringify({ ignore: ['RB010'] }));
    expect((await analyzeRunbookFile(file)).diagnostics.map((d) => d.code)).toEqual([]);

    await writeFile(path.join(root, 'outer', 'collection', LINT_CONFIG_FILE), JSON.stringify({ ignore: ['RB030'], root: true }));
    expect((await analyzeRunbookFile(file)).diagnostics.map((d) => d.code)).toEqual(['RB010']);

    await writeFile(path.join(root, 'outer', 'collection', LINT_CONFIG_FILE), 'not json');
    expect((await analyzeRunbookFile(file)).diagnostics.map((d) => d.code)).toEqual(['RB030']);
    expect(await readFile(file, 'utf8')).toBe(broken);
  });
});

describe('YAML errors in plain words', () => {
  it.each([
    ['agent: [claude-code', /not closed/],
    ['model: x\nmodel: y', /appears twice/],
    ['title: Step 1: set up', /must be quoted/],
  ])('%s', (yaml, advice) => {
    const [d] = lint(`---\nversion: "1.0.0"\n${yaml}\n---\n# T\n`).diagnostics.filter((x) => x.code === 'RB001');
    expect(d.message).toMatch(/^invalid YAML in frontmatter: /);
    expect(d.hint).toMatch(advice);
  });
});

describe('quick fixes', () => {
  /** The text with a diagnostic's fix applied (edits are whole-line insertions or one-line replacements). */
  const applyFix = (text: string, code: string) => {
    const d = lint(text).diagnostics.find((x) => x.code === code);
    if (!d?.fix) throw new Error(`no fix for ${code}`);
    const lines = text.split('\n');
    for (const e of [...d.fix.edits].reverse()) {
      const line = lines[e.range.line - 1] ?? '';
      const merged = line.slice(0, e.range.column - 1) + e.text + (lines[e.range.endLine - 1] ?? '').slice(e.range.endColumn - 1);
      lines.splice(e.range.line - 1, e.range.endLine - e.range.line + 1, ...merged.split('\n'));
    }
    return { title: d.fix.title, text: lines.join('\n') };
  };

  it('RB010: adds a Parameters row for the undeclared variable, which clears the error', () => {
    const fixed = applyFix(edit(CLEAN, 'Fetch the forecast', 'Fetch {{region}} forecast'), 'RB010');
    expect(fixed.title).toBe("Add a Parameters row for 'region'");
    expect(fixed.text).toContain('| Days | `{{days}}` | `3` | Forecast length in days |\n| region | `{{region}}` | *(required)* |  |\n');
    expect(codes(fixed.text)).toEqual([]);
  });

  it('RB012: declares the secret in the frontmatter', () => {
    const fixed = applyFix(edit(CLEAN, 'Fetch the forecast', 'Use {{secrets.NOPE}} to fetch the forecast'), 'RB012');
    expect(codes(fixed.text)).toEqual([]);
    expect(lint(fixed.text).secrets.map((s) => s.name)).toEqual(['NOPE', 'WEATHER_TOKEN']);
    const noSecrets = edit(edit(CLEAN, /secrets:[\s\S]*?required: true\n/.exec(CLEAN)![0], 'secrets: {}\n'), 'Fetch the forecast', 'Use {{secrets.NOPE}} to fetch');
    expect(codes(applyFix(noSecrets.replace('{{secrets.WEATHER_TOKEN}}', 'x'), 'RB012').text)).toEqual([]);
  });

  it('RB012: adds the secret at the indentation of the existing entries, keeping them and any comment', () => {
    const use = (text: string) => edit(text, 'Fetch the forecast', 'Use {{secrets.NOPE}} to fetch the forecast');
    const fourSpaces = use(edit(CLEAN, /secrets:[\s\S]*?required: true\n/.exec(CLEAN)![0], 'secrets:\n    WEATHER_TOKEN:\n        env: WEATHER_TOKEN\n        required: true\n'));
    const fixed = applyFix(fourSpaces, 'RB012');
    expect(codes(fixed.text)).toEqual([]);
    expect(lint(fixed.text).secrets.map((s) => [s.name, s.env])).toEqual([['NOPE', 'NOPE'], ['WEATHER_TOKEN', 'WEATHER_TOKEN']]);
    const commented = use(edit(CLEAN, /secrets:[\s\S]*?required: true\n/.exec(CLEAN)![0], 'secrets: {}  # none yet\n')).replace('{{secrets.WEATHER_TOKEN}}', 'x');
    expect(applyFix(commented, 'RB012').text).toContain('secrets: # none yet\n  NOPE:\n    env: NOPE\n    required: true\n---');
  });

  it('RB012: offers no fix for a secrets flow mapping, where a second secrets key would break the YAML', () => {
    const flow = edit(edit(CLEAN, /secrets:[\s\S]*?required: true\n/.exec(CLEAN)![0], 'secrets: { WEATHER_TOKEN: { env: WEATHER_TOKEN } }\n'), 'Fetch the forecast', 'Use {{secrets.NOPE}} to fetch the forecast');
    const d = lint(flow).diagnostics.find((x) => x.code === 'RB012');
    expect(d?.message).toBe("secret 'NOPE' is used but not declared");
    expect(d?.fix).toBeUndefined();
  });

  it('RB015: adds validation_report.json to the output manifest', () => {
    const fixed = applyFix(CLEAN.replace(/\| `\{\{results_dir\}\}\/validation_report\.json`.*\n/, ''), 'RB015');
    expect(fixed.text).toContain('| `{{results_dir}}/validation_report.json` | Checks with `overall_passed` |');
    expect(codes(fixed.text)).toEqual([]);
  });
});
