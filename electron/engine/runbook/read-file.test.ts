import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeRunbookFile } from './index';
import { readTextFile, TextFileError } from './read-file';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/runbooks/', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'jetty-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const full = path.join(dir, name);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, content);
  return full;
}

async function problemOf(p: string) {
  const err = await readTextFile(p).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TextFileError);
  return err as TextFileError;
}

describe('readTextFile', () => {
  it('reads UTF-8 text', async () => {
    expect(await readTextFile(file('ok.md', 'héllo\n'))).toBe('héllo\n');
  });

  it('names the path when it does not exist or is a folder', async () => {
    const missing = await problemOf(path.join(dir, 'nope.md'));
    expect([missing.problem, missing.code, missing.message]).toEqual(['not_found', 'not_found', `file not found: ${path.join(dir, 'nope.md')}`]);
    const folder = await problemOf(dir);
    expect(folder.problem).toBe('directory');
    expect(folder.message).toBe(`${dir} is a directory, not a file`);
  });

  it('refuses a 10 MB file quickly with its size', async () => {
    const big = file('big.md', Buffer.alloc(10 * 1024 * 1024, 'a'));
    const started = performance.now();
    const err = await problemOf(big);
    expect(performance.now() - started).toBeLessThan(200);
    expect(err.problem).toBe('too_large');
    expect(err.message).toMatch(/is 10\.0 MB; runbooks are limited to 5\.0 MB/);
  });

  it('refuses binary and invalid UTF-8 content', async () => {
    expect((await problemOf(file('bin.md', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1])))).message).toMatch(/contains NUL bytes/);
    expect((await problemOf(file('utf16.md', Buffer.from('\uFEFF# hi', 'utf16le')))).message).toMatch(/looks like UTF-16/);
    expect((await problemOf(file('latin1.md', Uint8Array.from([0x63, 0x61, 0x66, 0xe9])))).message).toMatch(/not valid UTF-8/);
  });
});

describe('analyzeRunbookFile', () => {
  it('merges manifest.json inputs and secrets into the parameters', async () => {
    const a = await analyzeRunbookFile(path.join(FIXTURES, 'inferred/RUNBOOK.md'));
    expect(a.title).toBe('Slides from a brief');
    expect(a.parameters.find((p) => p.name === 'style_preset')).toMatchObject({ type: 'select', required: true, default: 'auto', options: ['auto', 'bold', 'mono'] });
    expect(a.parameters.find((p) => p.name === 'source_file')).toMatchObject({ type: 'file', accept: '.md,.txt', multiple: true });
    expect(a.parameters.find((p) => p.name === 'audience')).toMatchObject({ label: 'Audience', required: false, type: 'text' });
    expect(a.secrets).toEqual([{ name: 'GITHUB_PAT', env: 'GITHUB_PAT', required: false, description: 'Private repos only' }]);
    expect(a.diagnostics).toEqual([]);
  });

  it('reports a broken manifest.json as a warning and keeps the table parameters', async () => {
    const folder = path.join(dir, 'bad-manifest');
    cpSync(path.join(FIXTURES, 'inferred'), folder, { recursive: true });
    writeFileSync(path.join(folder, 'manifest.json'), '{ "inputs": [ { "label": ');
    const a = await analyzeRunbookFile(path.join(folder, 'RUNBOOK.md'));
    // Without the manifest, 'Source file' is no longer known to be an upload.
    expect(a.diagnostics.map((d) => [d.code, d.severity])).toEqual([['RB024', 'warning'], ['RB011', 'info']]);
    expect(a.diagnostics[0].message).toMatch(/^manifest\.json: not valid JSON/);
    expect(a.parameters.find((p) => p.name === 'style_preset')).toMatchObject({ type: 'text', default: 'auto' });
  });

  it('uses given text instead of the file (an unsaved edit) but still reads the manifest', async () => {
    const a = await analyzeRunbookFile(path.join(FIXTURES, 'inferred/RUNBOOK.md'), '---\nversion: "1.0.0"\n---\n# Draft\n');
    expect(a.title).toBe('Slides from a brief');
    expect(a.parameters.map((p) => p.name)).toEqual(['style_preset', 'source_file', 'audience']);
  });

  it('turns binary and oversized runbooks into diagnostics, and throws for a missing path', async () => {
    const binary = await analyzeRunbookFile(file('b/RUNBOOK.md', Uint8Array.from([0, 1, 2])));
    expect(binary.diagnostics.map((d) => d.code)).toEqual(['RB022']);
    const big = await analyzeRunbookFile(file('c/RUNBOOK.md', Buffer.alloc(6 * 1024 * 1024, 'a')));
    expect(big.diagnostics.map((d) => d.code)).toEqual(['RB023']);
    await expect(analyzeRunbookFile(path.join(dir, 'missing/RUNBOOK.md'))).rejects.toThrow(/file not found/);
  });
});
