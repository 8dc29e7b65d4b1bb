/**
 * Watching a real Docker client's API requests, for tests about round trips and teardown:
 * each request is recorded as `METHOD /path` (no query), and container removals can be
 * held back until the test lets them through. The requests still go to the real daemon.
 */
import type Docker from 'dockerode';

interface DialOptions {
  method: string;
  path: string;
}
type Dial = (options: DialOptions, callback: unknown) => unknown;

function wrapDial(docker: Docker, wrap: (dial: Dial) => Dial): void {
  const modem = docker.modem as { dial: Dial };
  modem.dial = wrap(modem.dial.bind(modem));
}

/** Every request the client makes from now on, in order. */
export function recordDockerCalls(docker: Docker): string[] {
  const calls: string[] = [];
  wrapDial(docker, (dial) => (options, callback) => {
    calls.push(`${options.method} ${options.path.split('?')[0]}`);
    return dial(options, callback);
  });
  return calls;
}

/** Holds back every container removal (`DELETE /containers/<id>`) until `release()`. */
export function holdContainerRemovals(docker: Docker): { held: Promise<void>; release(): void } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let onHeld!: () => void;
  const held = new Promise<void>((resolve) => (onHeld = resolve));
  wrapDial(docker, (dial) => (options, callback) => {
    if (options.method !== 'DELETE' || !options.path.startsWith('/containers/')) return dial(options, callback);
    onHeld();
    void released.then(() => dial(options, callback));
    return undefined;
  });
  return { held, release };
}
