import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeRunbookFile } from '../runbook';
import { fixAllInFiles } from './fix-all';

const CLEAN = await readFile(new URL('../../../test/fixtures/runbooks/clean/RUNBOOK.md', import.meta.url), 'utf8');
let dir: string;
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('fixAllInFiles', () => {
  it('applies every fix of one rule in each file, one at a time, and saves only the files it changed', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-fix-all-'));
    const write = async (name: string, text: string) => {
      await mkdir(path.join(dir, name), { recursive: true });
      await writeFile(path.join(dir, name, 'RUNBOOK.md'), text);
      return path.join(dir, name, 'RUNBOOK.md');
    };
    // Two undeclared variables in one runbook, one in another, none in the third.
    const two = await write('two', CLEAN.replace('Fetch the forecast', 'Fetch the {{region}} forecast for {{season}}'));
    const one = await write('one', CLEAN.replace('Fetch the forecast', 'Fetch the {{region}} forecast'));
    const none = await write('none', CLEAN);
    const undeclared = async (file: string) => (await analyzeRunbookFile(file)).diagnostics.filter((d) => d.code === 'RB010').length;
    expect([await undeclared(two), await undeclared(one), await undeclared(none)]).toEqual([2, 1, 0]);

    const saved: string[] = [];
    const result = await fixAllInFiles([two, one, none], 'RB010', async (file, text) => {
      saved.push(file);
      await writeFile(file, text);
    });
    expect(result).toEqual({ fixed: 3, files: [two, one] });
    expect(saved).toEqual([two, one]);
    expect([await undeclared(two), await undeclared(one)]).toEqual([0, 0]);
    expect(await readFile(two, 'utf8')).toMatch(/\| region .*\n\| season /);
  });
});
