import path from 'node:path';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { readFirstFile, type TarInput } from './archive';
import { SandboxError, dockerStatusCode, withDocker } from './errors';
import { execInContainer } from './exec';
import type { FileEntry, SandboxFile } from './tool-host';
import { shellQuote } from './shell-quote';

export const SANDBOX_WORKDIR = '/app';
export const DEFAULT_READ_LIMIT = 5 * 1024 * 1024;
/** listFiles stops after this many entries, and does not go deeper than MAX_LIST_DEPTH. */
export const MAX_LIST_ENTRIES = 5000;
export const MAX_LIST_DEPTH = 12;

/** A sandbox path made absolute (relative paths are under /app). */
export function sandboxPath(file: string): string {
  if (!file || file.includes('\0')) throw new SandboxError(`Invalid sandbox path "${file}"`);
  return path.posix.resolve(SANDBOX_WORKDIR, file);
}

export async function readSandboxFile(container: Docker.Container, file: string, maxBytes = DEFAULT_READ_LIMIT) {
  const absolute = sandboxPath(file);
  let archive: Readable;
  try {
    archive = (await withDocker(() => container.getArchive({ path: absolute }))) as Readable;
  } catch (error) {
    if (dockerStatusCode(error) === 404) throw new SandboxError(`No such file in the sandbox: ${absolute}`);
    throw error;
  }
  const content = await readFirstFile(archive, maxBytes, absolute);
  return content.toString('utf8');
}

/**
 * Files to write as archive entries relative to `/` (an archive put at `/` creates their
 * parent folders), refusing `/` itself and a path written twice.
 */
export function sandboxFileEntries(files: SandboxFile[]): TarInput[] {
  const seen = new Set<string>();
  return files.map(({ path: file, content, mode }) => {
    const absolute = sandboxPath(file);
    if (absolute === '/') throw new SandboxError('Cannot write to "/": give a file path');
    if (seen.has(absolute)) throw new SandboxError(`${absolute} is written twice`);
    seen.add(absolute);
    return { type: 'file', path: absolute.slice(1), content, mode };
  });
}

const LIST_SCRIPT =
  '[ -d "$0" ] || { echo "not a directory: $0" >&2; exit 2; }; ' +
  `find "$0" -mindepth 1 -maxdepth ${MAX_LIST_DEPTH} \\( -type f -o -type d \\) -printf '%y %s %p\\0' | ` +
  `head -z -n ${MAX_LIST_ENTRIES}`;

/** Files and folders under a folder, recursively (bounded in depth and count). */
export async function listSandboxFiles(docker: Docker, container: Docker.Container, dir: string): Promise<FileEntry[]> {
  const absolute = sandboxPath(dir);
  const result = await execInContainer(docker, container, `sh -c ${shellQuote(LIST_SCRIPT)} ${shellQuote(absolute)}`);
  if (result.exitCode !== 0) {
    throw new SandboxError(`Cannot list ${absolute}: ${result.stderr.trim() || `exit code ${result.exitCode}`}`);
  }
  return result.stdout
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [kind, size, ...rest] = line.split(' ');
      return { path: rest.join(' '), type: kind === 'd' ? 'dir' : 'file', size: kind === 'd' ? 0 : Number(size) };
    });
}
