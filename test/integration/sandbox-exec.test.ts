import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerSandbox, SandboxService } from '../../electron/engine/sandbox';
import { TEST_BASE_IMAGE, createTestSandboxService, removeTestContainers, requireDocker } from '../helpers/docker';

let docker: Docker;
let service: SandboxService;
let sandbox: DockerSandbox;

beforeAll(async () => {
  docker = await requireDocker();
  service = createTestSandboxService(docker);
  sandbox = await service.create({ image: TEST_BASE_IMAGE, runId: 'exec-test', env: { GREETING: 'hello from env' } });
});

afterAll(async () => {
  await service?.close();
  if (docker) await removeTestContainers(docker);
});

/** Connections to Docker of exec starts still open in this process (a hijacked exec, a detached start's answer). */
const openExecConnections = () =>
  (process as unknown as { _getActiveHandles(): { destroyed?: boolean; _httpMessage?: { path?: string } }[] })
    ._getActiveHandles()
    .filter((h) => !h.destroyed && /^\/exec\/[^/]+\/start$/.test(h._httpMessage?.path ?? ''));

/** Waits (at most 3 s, every 50 ms) until no exec connection is open; the ones left. */
async function execConnectionsLeft(): Promise<number> {
  for (let i = 0; i < 60 && openExecConnections().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
  return openExecConnections().length;
}

describe('exec in a Docker sandbox', () => {
  it('keeps stdout and stderr apart, streams them, and returns the exit code', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const result = await sandbox.exec('echo out1; echo err1 >&2; echo out2; exit 3', {
      onStdout: (chunk) => out.push(chunk),
      onStderr: (chunk) => err.push(chunk),
    });
    expect(result).toEqual({ exitCode: 3, stdout: 'out1\nout2\n', stderr: 'err1\n', timedOut: false });
    expect(out.join('')).toBe('out1\nout2\n');
    expect(err.join('')).toBe('err1\n');
    expect((await sandbox.exec('true')).exitCode).toBe(0);
  });

  it('runs in /app by default, honours cwd and env, and uses bash', async () => {
    expect((await sandbox.exec('pwd')).stdout).toBe('/app\n');
    expect((await sandbox.exec('pwd', { cwd: '/app/results' })).stdout).toBe('/app/results\n');
    expect((await sandbox.exec('echo "$GREETING/$EXTRA"', { env: { EXTRA: 'per-command' } })).stdout).toBe(
      'hello from env/per-command\n',
    );
    expect((await sandbox.exec('echo ${BASH_VERSION:+bash}; [[ 1 == 1 ]] && echo ok')).stdout).toBe('bash\nok\n');
  });

  it('kills a command and its children on timeout', async () => {
    const started = Date.now();
    const result = await sandbox.exec('sleep 60 & sleep 60; echo never', { timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.stdout).toBe('');
    expect(Date.now() - started).toBeLessThan(5000); // not the 60 s of its sleeps
    const left = await sandbox.exec('for p in /proc/[0-9]*; do cat $p/cmdline 2>/dev/null | tr "\\0" " "; echo; done');
    expect(left.stdout).not.toContain('sleep 60');
  });

  it('leaves no connection to Docker open after killing a command (the kill is a detached exec whose answer must be read)', async () => {
    expect((await sandbox.exec('sleep 60', { timeoutMs: 200 })).timedOut).toBe(true);
    expect(await execConnectionsLeft()).toBe(0);
  });

  it('attaches a process: its stdin in, stdout and stderr apart, end of input ends it with its exit code; kill ends it and its children', async () => {
    const proc = await sandbox.attach(['sh', '-c', 'while read line; do echo "got $line"; echo "err $line" >&2; done; exit 7'], { cwd: '/app', env: { X: '1' } });
    const out: string[] = [];
    const err: string[] = [];
    proc.stdout.on('data', (c: Buffer) => out.push(c.toString()));
    proc.stderr.on('data', (c: Buffer) => err.push(c.toString()));
    proc.stdin.write('one\n');
    proc.stdin.end('two\n');
    expect(await proc.exited).toBe(7);
    expect([out.join(''), err.join('')]).toEqual(['got one\ngot two\n', 'err one\nerr two\n']);
    // No shell between: the argv arrives as given.
    const argv = await sandbox.attach(['printf', '%s|', 'a b', '$HOME', '"q"']);
    let printed = '';
    argv.stdout.on('data', (c: Buffer) => (printed += c.toString()));
    expect(await argv.exited).toBe(0);
    expect(printed).toBe('a b|$HOME|"q"|');
    const forever = await sandbox.attach(['sh', '-c', 'sleep 600 & sleep 600']);
    await forever.kill();
    expect(await forever.exited).not.toBe(0);
    expect((await sandbox.exec('pgrep -f "sleep 600" || echo none')).stdout).toBe('none\n');
    expect(await execConnectionsLeft()).toBe(0);
  });

  it('kills a command when its signal aborts, rejecting with the abort reason', async () => {
    const controller = new AbortController();
    const running = sandbox.exec('sleep 60', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user stopped it')), 200);
    await expect(running).rejects.toThrow('user stopped it');
    const left = await sandbox.exec('for p in /proc/[0-9]*; do cat $p/cmdline 2>/dev/null | tr "\\0" " "; echo; done');
    expect(left.stdout).not.toContain('sleep 60');
  });

  it('writes, reads and lists files', async () => {
    const text = '# Report\nünïcode\n';
    await sandbox.writeFile('results/deep/nested/report.md', text);
    expect(await sandbox.readFile('/app/results/deep/nested/report.md')).toBe(text);
    expect((await sandbox.exec('cat results/deep/nested/report.md')).stdout).toBe(text);
    const listing = await sandbox.listFiles('/app/results');
    expect(listing).toContainEqual({ path: '/app/results/deep', type: 'dir', size: 0 });
    expect(listing).toContainEqual({
      path: '/app/results/deep/nested/report.md',
      type: 'file',
      size: Buffer.byteLength(text),
    });
  });

  it('explains a missing file, a directory read, an oversized read and a missing folder', async () => {
    await expect(sandbox.readFile('/app/results/nope.txt')).rejects.toThrow('No such file in the sandbox: /app/results/nope.txt');
    await expect(sandbox.readFile('/app/results')).rejects.toThrow('is a directory');
    await sandbox.exec('head -c 5000 /dev/zero > /app/big.bin');
    await expect(sandbox.readFile('/app/big.bin', { maxBytes: 1000 })).rejects.toThrow('over the 1000-byte read limit');
    await expect(sandbox.listFiles('/app/missing')).rejects.toThrow('not a directory: /app/missing');
  });
});
