import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(path.join(tmpdir(), 'jetty-cli-lint-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function jetty(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/jetty.mjs', 'lint', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('jetty lint (built CLI)', () => {
  beforeAll(() => {
    if (!existsSync(path.join(repoRoot, 'out/main/cli.js'))) {
      throw new Error('out/main/cli.js is missing: run `npm run build` before the CLI tests');
    }
  });

  it('exits 0 on a clean runbook and prints a summary', () => {
    const r = jetty('test/fixtures/runbooks/clean/RUNBOOK.md');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('1 runbook checked: 0 errors, 0 warnings, 0 infos\n');
  });

  it('exits 1 with compiler-style lines when a runbook has errors', () => {
    const r = jetty('test/fixtures/runbooks/broken');
    expect(r.code).toBe(1);
    const file = path.join('test', 'fixtures', 'runbooks', 'broken', 'RUNBOOK.md');
    expect(r.stdout).toContain(`${file}:22:27 error RB010 variable 'audience' is used but not declared in the Parameters table\n    hint: `);
    expect(r.stdout).toContain(`${file}:22:46 error RB012 secret 'MISSING_KEY' is used but not declared`);
    expect(r.stdout).toContain(`${file}:2:1 warning RB006 `);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('1 runbook checked: 2 errors, 8 warnings, 1 info');
  });

  it('searches folders recursively and prints JSON with --json', () => {
    const r = jetty('--json', 'test/fixtures/runbooks');
    expect(r.code).toBe(1);
    const analyses = JSON.parse(r.stdout) as { path: string; parameters: { name: string }[]; diagnostics: unknown[]; secrets: unknown[]; variables: string[]; frontmatter: object }[];
    expect(analyses.map((a) => path.relative(repoRoot, a.path))).toEqual(
      ['broken', 'clean', 'inferred'].map((n) => path.join('test', 'fixtures', 'runbooks', n, 'RUNBOOK.md')),
    );
    const clean = analyses[1];
    expect(Object.keys(clean)).toEqual(expect.arrayContaining(['path', 'frontmatter', 'parameters', 'secrets', 'variables', 'diagnostics']));
    expect(clean.parameters.map((p) => p.name)).toEqual(['results_dir', 'city', 'units', 'days']);
    expect(clean.diagnostics).toEqual([]);
  });

  it("judges a runbook's snapshot against the Dockerfiles this build ships (resources/sandboxes)", () => {
    const dir = path.join(tmp, 'cloud-snapshot');
    mkdirSync(dir);
    const clean = readFileSync(path.join(repoRoot, 'test/fixtures/runbooks/clean/RUNBOOK.md'), 'utf8');
    writeFileSync(path.join(dir, 'RUNBOOK.md'), clean.replace('snapshot: python312-uv', 'snapshot: text-to-cad'));
    const r = jetty(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "RUNBOOK.md:6:1 warning RB034 snapshot 'text-to-cad' has no Dockerfile in this Jetty (it has prism-playwright, python312-uv): a local run fails unless Docker already has jetty-sandbox/text-to-cad:latest\n",
    );
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('1 runbook checked: 0 errors, 1 warning, 0 infos');
  });

  it('exits 0 on the bundled examples', () => {
    const r = jetty('resources/examples');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^3 runbooks checked: 0 errors, 0 warnings/m);
  });

  it('exits 1 on a binary RUNBOOK.md with a clear diagnostic', () => {
    const dir = path.join(tmp, 'binary');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'RUNBOOK.md'), Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0, 0]));
    const r = jetty(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/RUNBOOK\.md:1:1 error RB022 .* is not a text file \(it contains NUL bytes\)/);
  });

  it.each([
    [['does/not/exist.md'], "jetty: lint: cannot read 'does/not/exist.md': no such file or folder\n"],
    [[], /jetty: lint: give at least one RUNBOOK\.md or folder/],
    [['--bogus', 'x'], /jetty: lint: Unknown option '--bogus'/],
    [['electron/cli'], "jetty: lint: no RUNBOOK.md found under 'electron/cli'\n"],
  ])('exits 2 on bad usage or an unreadable path: %j', (args, message) => {
    const r = jetty(...args);
    expect(r.code).toBe(2);
    if (typeof message === 'string') expect(r.stderr).toBe(message);
    else expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});
