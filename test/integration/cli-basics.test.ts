import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, jetty, requireBuiltCli } from '../helpers/cli';

describe('jetty --version, --help and bad usage', () => {
  beforeAll(requireBuiltCli);

  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const r = await jetty([flag]);
      expect(r).toMatchObject({ code: 0, stdout: `${version}\n` });
    }
  });

  it('lists every command in --help and shows a command usage with <command> --help', async () => {
    const help = await jetty(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['lint', 'run', 'serve', 'trajectories', 'trajectory', 'export', 'import']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
    const runHelp = await jetty(['run', '--help']);
    expect(runHelp.stdout).toMatch(/^Usage: jetty run <RUNBOOK\.md>/);
  });

  it('exits 2 with a message on an unknown command or option', async () => {
    const unknown = await jetty(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    const badOption = await jetty(['trajectories', '--bogus']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/--bogus/);
  });
});
