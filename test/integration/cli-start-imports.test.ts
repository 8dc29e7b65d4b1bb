import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO, requireBuiltCli } from '../helpers/cli';

const HOOK = path.join(REPO, 'test/helpers/import-log.mjs');
const RUNBOOK = path.join(REPO, 'test/fixtures/runbooks/clean/RUNBOOK.md');
/** What the server, the store and the agents need; none of it is any use to --version or lint. */
const HEAVY = ['openai', 'dockerode', 'better-sqlite3', 'ws', 'undici', 'busboy', 'tar-stream'];

const dir = mkdtempSync(path.join(tmpdir(), 'jetty-imports-'));
let runs = 0;

/** Runs the built `jetty <args>` and returns the packages it imported by name. */
function importsOf(args: string[]): Promise<string[]> {
  const log = path.join(dir, `imports-${++runs}.txt`);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', HOOK, CLI, ...args],
      { cwd: REPO, env: { ...process.env, JETTY_IMPORT_LOG: log, JETTY_DATA_DIR: dir }, timeout: 60_000 },
      (err) => {
        if (err && typeof err.code !== 'number') return reject(err);
        let text = '';
        try {
          text = readFileSync(log, 'utf8');
        } catch {
          // nothing imported by name
        }
        resolve([...new Set(text.split('\n').filter(Boolean))]);
      },
    );
  });
}

describe('jetty start-up loads only what the command needs', () => {
  beforeAll(requireBuiltCli);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--version, --help, lint and run --help import none of the engine’s heavy packages', async () => {
    for (const args of [['--version'], ['--help'], ['lint', RUNBOOK], ['lint', '--help'], ['run', '--help']]) {
      const imported = await importsOf(args);
      expect(imported.filter((name) => HEAVY.includes(name)), `jetty ${args.join(' ')}`).toEqual([]);
    }
  });

  it('a command that needs the store still loads it (the log sees imports)', async () => {
    expect(await importsOf(['trajectories'])).toContain('better-sqlite3');
  });
});
