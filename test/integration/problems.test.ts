import { cp, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/api';

// The Problems view's methods over a real engine and a copy of the fixture workspace:
// every diagnostic of an open folder, fix-all, ignoring a rule (runbook, folder), and the
// runbook list's search of runbook texts. Writes stay inside the open folders.

const CLEAN = path.resolve('test/fixtures/runbooks/clean/RUNBOOK.md');
let tmp: string;
let ws: string;
let engine: Engine;

beforeAll(async () => {
  tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'jetty-problems-')));
  ws = path.join(tmp, 'ws');
  await cp(path.resolve('test/fixtures/workspace'), ws, { recursive: true });
  // Two runbooks whose undeclared variables (RB010) have a quick fix.
  const clean = await readFile(CLEAN, 'utf8');
  for (const [name, vars] of [['forecast', '{{region}} and {{season}}'], ['tides', '{{harbour}}']] as const) {
    await mkdir(path.join(ws, 'runbooks', 'weather', name), { recursive: true });
    await writeFile(path.join(ws, 'runbooks', 'weather', name, 'RUNBOOK.md'), clean.replace('Fetch the forecast', `Fetch the forecast for ${vars}`));
  }
  await writeFile(path.join(tmp, 'outside.md'), '# not in the folder\n');
  engine = await createEngine({ dataDir: path.join(tmp, 'data'), folders: [ws] });
});

afterAll(async () => {
  await engine?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const problems = async () => (await engine.api['lint.problems']({ folder: ws })).files;
const codesOf = async (name: string) => (await problems()).find((f) => f.name === name)?.diagnostics.map((d) => d.code) ?? [];

describe('problems of an open folder', () => {
  it('lists every file with diagnostics, with its place', async () => {
    const files = await problems();
    expect(files.map((f) => `${f.collection}/${f.name}`).sort()).toEqual(['ops/rotate-logs', 'reports/broken-frontmatter', 'weather/forecast', 'weather/tides']);
    expect(await codesOf('forecast')).toEqual(expect.arrayContaining(['RB010']));
    await expect(engine.api['lint.problems']({ folder: tmp })).rejects.toThrow(/is not an open folder/);
  });

  it('fixes every fixable diagnostic of one rule, skipping files unsaved in an editor', async () => {
    const tides = path.join(ws, 'runbooks', 'weather', 'tides', 'RUNBOOK.md');
    const skipped = await engine.api['lint.fixAll']({ folder: ws, code: 'RB010', skip: [tides] });
    expect(skipped).toEqual({ fixed: 2, files: [path.join(ws, 'runbooks', 'weather', 'forecast', 'RUNBOOK.md')] });
    expect(await engine.api['lint.fixAll']({ folder: ws, code: 'RB010', skip: [] })).toMatchObject({ fixed: 1, files: [tides] });
    expect(await codesOf('forecast')).not.toContain('RB010');
    expect(await codesOf('tides')).not.toContain('RB010');
  });

  it('ignores a rule in one runbook (lint_ignore) or in the whole folder (.jettylintrc.json)', async () => {
    const broken = path.join(ws, 'runbooks', 'ops', 'rotate-logs', 'RUNBOOK.md');
    expect(await engine.api['lint.ignore']({ path: broken, code: 'RB016', scope: 'runbook' })).toEqual({ file: broken, fix: null });
    expect(await readFile(broken, 'utf8')).toMatch(/lint_ignore: \[RB016\]/);
    expect(await codesOf('rotate-logs')).not.toContain('RB016');

    // With the editor's text, nothing is written: the edit comes back.
    const answer = await engine.api['lint.ignore']({ path: broken, code: 'RB019', scope: 'runbook', text: await readFile(broken, 'utf8') });
    expect(answer.file).toBeNull();
    expect(answer.fix?.edits[0].text).toBe('lint_ignore: [RB016, RB019]');

    expect(await engine.api['lint.ignore']({ path: broken, code: 'RB030', scope: 'folder' })).toEqual({ file: path.join(ws, '.jettylintrc.json'), fix: null });
    expect(JSON.parse(await readFile(path.join(ws, '.jettylintrc.json'), 'utf8'))).toEqual({ ignore: ['RB030'] });
    // The open folder itself names the folder too (the Problems view's "in this folder").
    expect(await engine.api['lint.ignore']({ path: ws, code: 'RB019', scope: 'folder' })).toEqual({ file: path.join(ws, '.jettylintrc.json'), fix: null });
    expect(JSON.parse(await readFile(path.join(ws, '.jettylintrc.json'), 'utf8'))).toEqual({ ignore: ['RB030', 'RB019'] });
    for (const name of ['rotate-logs', 'broken-frontmatter']) expect(await codesOf(name)).not.toContain('RB030');
    expect(await codesOf('rotate-logs')).not.toContain('RB019');
  });

  it('refuses to write outside the open folders, and a folder file it cannot read as JSON', async () => {
    await expect(engine.api['lint.ignore']({ path: path.join(tmp, 'outside.md'), code: 'RB016', scope: 'runbook' })).rejects.toThrow(/outside the open folders/);
    expect(await readFile(path.join(tmp, 'outside.md'), 'utf8')).toBe('# not in the folder\n');
    await writeFile(path.join(ws, '.jettylintrc.json'), '{ not json');
    await expect(engine.api['lint.ignore']({ path: path.join(ws, 'runbooks', 'ops', 'rotate-logs', 'RUNBOOK.md'), code: 'RB017', scope: 'folder' })).rejects.toThrow(/not valid JSON/);
    await expect(engine.api['lint.ignore']({ path: tmp, code: 'RB016', scope: 'folder' })).rejects.toThrow(/outside the open folders/);
    expect(await readFile(path.join(ws, '.jettylintrc.json'), 'utf8')).toBe('{ not json');
  });

  it('searches the runbooks’ texts for every word', async () => {
    const { paths } = await engine.api['runbook.search']({ query: 'FORECAST harbour' });
    expect(paths).toEqual([path.join(ws, 'runbooks', 'weather', 'tides', 'RUNBOOK.md')]);
  });
});
