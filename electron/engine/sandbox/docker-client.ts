/**
 * The Docker client (dockerode), loaded without what Jetty never uses on its way: dockerode
 * loads gRPC and protobuf (for BuildKit sessions) and docker-modem loads ssh2 (for an
 * `ssh://` DOCKER_HOST) as they load, which is most of their start-up cost (several times
 * dockerode's own) on every process that talks to Docker. Each of those two modules is
 * stood in for by a function that loads it at its first call, so a BuildKit build or an ssh
 * DOCKER_HOST works as before and everything else never loads them. Where the files are not
 * where expected (another version of the packages), dockerode loads as it is.
 */
import { createRequire, Module } from 'node:module';
import path from 'node:path';
import type DockerClass from 'dockerode';

const load = createRequire(import.meta.url);

/** Loads `file` (a module exporting one function) at the first call of that function. */
function deferModule(file: string): void {
  if (load.cache[file]) return;
  let loaded: ((...args: unknown[]) => unknown) | undefined;
  const standIn = new Module(file);
  standIn.filename = file;
  standIn.loaded = true;
  standIn.exports = function deferred(this: unknown, ...args: unknown[]) {
    if (!loaded) {
      delete load.cache[file];
      loaded = load(file) as (...args: unknown[]) => unknown;
    }
    return loaded.apply(this, args);
  };
  load.cache[file] = standIn;
}

function loadDockerode(): typeof DockerClass {
  try {
    const main = load.resolve('dockerode');
    const modem = load.resolve('docker-modem', { paths: [path.dirname(main)] });
    deferModule(path.join(path.dirname(main), 'session.js'));
    deferModule(path.join(path.dirname(modem), 'ssh.js'));
  } catch {
    // Laid out otherwise: load it whole.
  }
  return load('dockerode') as typeof DockerClass;
}

/** dockerode's `Docker` class, loaded as above. */
export const DockerClient = loadDockerode();
