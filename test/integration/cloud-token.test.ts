import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, requireBuiltCli } from '../helpers/cli';
import { json } from '../helpers/fake-remote';
import { startHostileServer, type HostileServer } from '../helpers/hostile-http';

const LOCAL_TOKEN = 'local-api-token-never-leaves-4f2a';
const REPO_TOKEN = 'mlc_from_a_cloned_repository_0123456789';

describe('which token goes to the remote', () => {
  let dir: string;
  let remote: HostileServer;
  /** The bearer tokens the remote was sent, in order. */
  const bearers: string[] = [];

  /** `jetty <args>` in `cwd` with only the variables given (and PATH), HOME a fresh folder unless given. */
  const run = (args: string[], env: Record<string, string>, cwd: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? '', JETTY_API_URL: remote.url, ...env } }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    requireBuiltCli();
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-cloud-token-'));
    remote = await startHostileServer((req, res) => {
      bearers.push(String(req.headers.authorization ?? '').replace(/^Bearer /, ''));
      json(res, 200, []);
    });
  });
  afterAll(async () => {
    await remote?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('JETTY_API_TOKEN (the local server’s own token) is never sent to a remote: without a cloud token, signed out', async () => {
    const home = path.join(dir, 'home-1');
    const whoami = await run(['whoami', '--json', '--data-dir', path.join(dir, 'data-1')], { HOME: home, JETTY_API_TOKEN: LOCAL_TOKEN }, dir);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ state: 'signed_out', token: null });
    expect(whoami.code).toBe(3);
    expect(bearers).not.toContain(LOCAL_TOKEN);
  });

  it('JETTY_CLOUD_TOKEN is the remote token from the environment', async () => {
    const whoami = await run(['whoami', '--json', '--data-dir', path.join(dir, 'data-2')], { HOME: path.join(dir, 'home-2'), JETTY_CLOUD_TOKEN: 'mlc_cloud_token_from_env_42', JETTY_API_TOKEN: LOCAL_TOKEN }, dir);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ state: 'online', tokenSource: 'env' });
    expect(bearers.at(-1)).toBe('mlc_cloud_token_from_env_42');
  });

  it('a CLAUDE.md with an mlc_ token in the working folder (a cloned repository) does not sign the user in', async () => {
    const repo = path.join(dir, 'cloned-repo');
    await mkdir(repo, { recursive: true });
    await writeFile(path.join(repo, 'CLAUDE.md'), `# Project notes\nUse the token ${REPO_TOKEN} for the API.\n`);
    const home = path.join(dir, 'home-3');
    const whoami = await run(['whoami', '--json', '--data-dir', path.join(dir, 'data-3')], { HOME: home }, repo);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ state: 'signed_out' });
    expect(bearers).not.toContain(REPO_TOKEN);
    expect(existsSync(path.join(home, '.config/jetty/token'))).toBe(false);
  });

  it('jetty login --import FILE takes the token from the file it names, and says so', async () => {
    const repo = path.join(dir, 'cloned-repo');
    const home = path.join(dir, 'home-4');
    const login = await run(['login', '--import', 'CLAUDE.md', '--data-dir', path.join(dir, 'data-4')], { HOME: home }, repo);
    expect(login.stdout).toContain('Imported the token from CLAUDE.md');
    expect(login.code).toBe(0);
    expect(readFileSync(path.join(home, '.config/jetty/token'), 'utf8')).toBe(REPO_TOKEN);
    expect(bearers.at(-1)).toBe(REPO_TOKEN);
    const none = await run(['login', '--import', 'missing.md', '--data-dir', path.join(dir, 'data-4')], { HOME: home }, repo);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/cannot read missing\.md \(ENOENT\)/);
    expect(none.stderr).not.toContain(repo);
  });
});
