/**
 * A long-lived process in a running container with its standard streams attached: a
 * `docker exec` with stdin open (the hijacked connection carries stdin one way and the
 * multiplexed stdout and stderr the other). Closing stdin half-closes the connection, which
 * Docker passes on as end of input. Like `exec`, it starts under a small shell that records
 * its pid and then becomes the process (`exec "$@"`, so the argv reaches it untouched, no
 * shell parsing), so `kill` ends its whole process group.
 */
import { randomUUID } from 'node:crypto';
import { PassThrough, Writable, type Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { envList } from './env';
import { withDocker } from './errors';
import { killGroup, streamEnd } from './exec';
import type { AttachedProcess, AttachOptions } from './tool-host';

const LAUNCH = 'echo $$ > "$0"; exec "$@"';

export async function attachInContainer(docker: Docker, container: Docker.Container, argv: string[], options: AttachOptions = {}): Promise<AttachedProcess> {
  if (argv.length === 0) throw new Error('attach needs a command');
  const pidFile = `/tmp/.jetty-attach-${randomUUID()}.pid`;
  const exec = await withDocker(() =>
    container.exec({
      Cmd: ['/bin/sh', '-c', LAUNCH, pidFile, ...argv],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      WorkingDir: options.cwd,
      Env: options.env && envList(options.env),
    }),
  );
  const stream = (await withDocker(() => exec.start({ hijack: true, stdin: true }))) as Duplex;
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  docker.modem.demuxStream(stream, stdout, stderr);
  const ended = streamEnd(stream);
  void ended.then(() => {
    stdout.end();
    stderr.end();
  });
  const stdin = new Writable({
    write: (chunk: Buffer, _encoding, done) => (stream.writable ? stream.write(chunk, done) : done(new Error('the process has ended'))),
    final: (done) => {
      // Half-close: the process reads end of input; its output keeps coming.
      if (stream.writable) stream.end();
      done();
    },
  });
  stdin.on('error', () => undefined);
  stream.on('error', () => undefined);
  const exited = ended.then(async () => {
    const info = await exec.inspect().catch(() => null);
    return typeof info?.ExitCode === 'number' ? info.ExitCode : null;
  });
  let over = false;
  void ended.then(() => (over = true));
  let killing: Promise<void> | undefined;
  return {
    stdin,
    stdout,
    stderr,
    exited,
    // Once it has ended there is nothing to kill (and its pid may be another's by then).
    kill: () => (killing ??= over ? Promise.resolve() : killGroup(container, pidFile, ended, stream)),
  };
}
