import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Runs the built CLI (`npm run build` first), as a user would.
let dataDir: string;
beforeAll(async () => (dataDir = await mkdtemp(path.join(os.tmpdir(), 'jetty-serve-cmd-'))));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

function jetty(args: string[], env: NodeJS.ProcessEnv = {}) {
  const { JETTY_API_TOKEN: _ignored, ...base } = process.env;
  const child = spawn(process.execPath, ['bin/jetty.mjs', ...args], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exit, output: () => out };
}

describe('jetty serve', () => {
  it('exits 2 naming a missing folder', async () => {
    const run = jetty(['serve', '/no/such/folder', '--data-dir', dataDir, '--no-open']);
    expect(await run.exit).toBe(2);
    expect(run.output()).toContain('folder not found: /no/such/folder');
  });

  it('exits 2 on a bad port', async () => {
    const run = jetty(['serve', '.', '--port', 'abc', '--data-dir', dataDir, '--no-open']);
    expect(await run.exit).toBe(2);
    expect(run.output()).toContain('--port must be a number');
  });

  it('prints the URL with a stored 0600 token and stops cleanly on SIGINT', async () => {
    const run = jetty(['serve', 'test/fixtures/workspace', '--port', '0', '--data-dir', dataDir, '--no-open']);
    await expect.poll(run.output, { timeout: 20_000 }).toMatch(/#token=/);
    const [, token] = run.output().match(/at http:\/\/127\.0\.0\.1:\d+\/#token=(\S+)/) ?? [];
    const file = path.join(dataDir, 'api-token');
    expect((await readFile(file, 'utf8')).trim()).toBe(token);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(run.output()).toContain(`serving ${path.resolve('test/fixtures/workspace')} at`);
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
  });
});
