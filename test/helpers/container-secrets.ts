/**
 * Where a value is found in a running container: its configured environment, any file
 * (outside /proc, /sys and /dev), and any process's environment (`/proc/<pid>/environ`, named
 * with the process's command). The search runs inside the container with python3 and gets
 * the value base64-encoded, so the search itself holds it in no environment and no file.
 */
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';

const SEARCH = `
import base64, os, sys
needle = base64.b64decode(sys.argv[1])
found = []
for root, dirs, files in os.walk('/'):
    if root == '/':
        dirs[:] = [d for d in dirs if d not in ('proc', 'sys', 'dev')]
    for name in files:
        path = os.path.join(root, name)
        try:
            if os.path.islink(path) or os.path.getsize(path) > 64 * 1024 * 1024:
                continue
            with open(path, 'rb') as f:
                if needle in f.read():
                    found.append('file ' + path)
        except OSError:
            pass
for pid in os.listdir('/proc'):
    if not pid.isdigit() or int(pid) == os.getpid():
        continue
    try:
        with open('/proc/%s/environ' % pid, 'rb') as f:
            environ = f.read()
        with open('/proc/%s/cmdline' % pid, 'rb') as f:
            cmd = f.read().replace(b'\\0', b' ').decode(errors='replace').strip()
    except OSError:
        continue
    if needle in environ:
        found.append('environ of ' + cmd)
print('\\n'.join(found))
`;

export async function whereInContainer(docker: Docker, containerId: string, secret: string): Promise<string[]> {
  const container = docker.getContainer(containerId);
  const info = await container.inspect();
  const places = (info.Config.Env ?? []).some((e) => e.includes(secret)) ? ['Config.Env'] : [];
  const { stdout, stderr, exitCode } = await run(docker, containerId, ['python3', '-c', SEARCH, Buffer.from(secret).toString('base64')]);
  if (exitCode !== 0) throw new Error(`the search failed (${exitCode}): ${stderr}`);
  return [...places, ...stdout.split('\n').filter(Boolean)];
}

async function run(docker: Docker, containerId: string, cmd: string[]): Promise<{ stdout: string; stderr: string; exitCode: number | null }> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: Buffer[] = [];
  const errors: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  err.on('data', (c: Buffer) => errors.push(c));
  docker.modem.demuxStream(stream, out, err);
  await new Promise<void>((resolve) => stream.on('end', resolve));
  const { ExitCode } = await exec.inspect();
  return { stdout: Buffer.concat(chunks).toString(), stderr: Buffer.concat(errors).toString(), exitCode: ExitCode };
}

/** Runs a command in a container (no shell unless asked), returning its stdout (its stderr after it). */
export async function execIn(docker: Docker, containerId: string, cmd: string[]): Promise<string> {
  const { stdout, stderr } = await run(docker, containerId, cmd);
  return stdout + stderr;
}

/** The container of a run (by its `jetty.run_id` label). */
export async function runContainer(docker: Docker, runId: string): Promise<string> {
  const [info] = await docker.listContainers({ filters: { label: [`jetty.run_id=${runId}`] } });
  if (!info) throw new Error(`no container for run ${runId}`);
  return info.Id;
}
