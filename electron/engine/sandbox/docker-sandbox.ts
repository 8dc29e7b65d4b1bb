import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { extractTree, packTar, safeRelativePath, type ContentFilter, type ExtractLimits, type ExtractedTree, type TarInput } from './archive';
import { SandboxError, dockerStatusCode, withDocker } from './errors';
import { attachInContainer } from './attach';
import { execInContainer } from './exec';
import { SANDBOX_WORKDIR, listSandboxFiles, readSandboxFile, writeSandboxFiles } from './files';
import { ASSETS_DIR, RESULTS_DIR, containerConfig, type ContainerSettings } from './container-config';
import type { AttachedProcess, AttachOptions, ExecOptions, ExecResult, FileEntry, ProcessHost, SandboxFile, ToolHost } from './tool-host';

export const DEFAULT_RESULT_LIMITS: ExtractLimits = { maxBytes: 1024 * 1024 * 1024, maxFiles: 10_000 };

/** An input file for /app/assets: inline content or a local file to copy. */
export type AssetInput = { name: string; content: string | Buffer } | { name: string; sourcePath: string };

/** One run's container: a ToolHost for agents, plus files in and out and its lifecycle. */
export class DockerSandbox implements ToolHost, ProcessHost {
  private removal: Promise<void> | undefined;

  constructor(
    private readonly docker: Docker,
    private readonly container: Docker.Container,
    readonly runId: string,
    private readonly onDestroyed?: (sandbox: DockerSandbox) => void,
  ) {}

  get id(): string {
    return this.container.id;
  }

  exec(command: string, options?: ExecOptions): Promise<ExecResult> {
    return execInContainer(this.docker, this.container, command, options);
  }

  attach(argv: string[], options?: AttachOptions): Promise<AttachedProcess> {
    return attachInContainer(this.docker, this.container, argv, options);
  }

  readFile(path: string, options?: { maxBytes?: number }): Promise<string> {
    return readSandboxFile(this.container, path, options?.maxBytes);
  }

  writeFile(path: string, content: string): Promise<void> {
    return writeSandboxFiles(this.container, [{ path, content }]);
  }

  writeFiles(files: SandboxFile[]): Promise<void> {
    return writeSandboxFiles(this.container, files);
  }

  listFiles(path: string): Promise<FileEntry[]> {
    return listSandboxFiles(this.docker, this.container, path);
  }

  /**
   * Copies files into the working directory (/app) under their relative paths, with their
   * modes, in one archive: the runbook's folder, so its scripts and data sit where it
   * expects them.
   */
  async putFiles(files: { path: string; sourcePath: string; mode: number }[]): Promise<void> {
    if (files.length === 0) return;
    const entries: TarInput[] = files.map((f) => ({ type: 'file', path: safeRelativePath(f.path, 'file path'), sourcePath: f.sourcePath, mode: f.mode }));
    await withDocker(() => this.container.putArchive(packTar(entries), { path: SANDBOX_WORKDIR }));
  }

  /** Copies inputs into /app/assets; names are relative paths (no `..`). Returns the sandbox paths. */
  async putAssets(assets: AssetInput[]): Promise<string[]> {
    const seen = new Set<string>();
    const entries: TarInput[] = assets.map((asset) => {
      const name = safeRelativePath(asset.name, 'asset name');
      if (seen.has(name)) throw new SandboxError(`Duplicate asset name "${name}"`);
      seen.add(name);
      const tarPath = `assets/${name}`;
      return 'content' in asset
        ? { type: 'file', path: tarPath, content: asset.content }
        : { type: 'file', path: tarPath, sourcePath: asset.sourcePath };
    });
    if (entries.length === 0) return [];
    await withDocker(() => this.container.putArchive(packTar(entries), { path: SANDBOX_WORKDIR }));
    return [...seen].map((name) => `${ASSETS_DIR}/${name}`);
  }

  /**
   * Copies /app/results into `dest` (a fresh local folder), each file's contents through
   * `filter` when given, and lists the files with size, sha256 and media type.
   */
  async collectResults(dest: string, limits: ExtractLimits = DEFAULT_RESULT_LIMITS, filter?: ContentFilter): Promise<ExtractedTree> {
    let archive: Readable;
    try {
      archive = (await withDocker(() => this.container.getArchive({ path: RESULTS_DIR }))) as Readable;
    } catch (error) {
      if (dockerStatusCode(error) === 404) return { artifacts: [], skipped: [] };
      throw error;
    }
    return extractTree(archive, dest, limits, filter);
  }

  /** Kills and removes the container (no graceful stop: a cancel must be quick). Idempotent. */
  destroy(): Promise<void> {
    this.removal ??= withDocker(() => this.container.remove({ force: true }))
      .catch((error) => {
        if (dockerStatusCode(error) !== 404) throw error;
      })
      .then(() => this.onDestroyed?.(this));
    return this.removal;
  }
}

/**
 * Creates and starts a long-lived container (its entrypoint makes /app/assets and
 * /app/results). A `signal`
 * (the run's cancel) destroys it when aborted.
 */
export async function startSandbox(
  docker: Docker,
  settings: ContainerSettings,
  { signal, onDestroyed }: { signal?: AbortSignal; onDestroyed?: (sandbox: DockerSandbox) => void } = {},
): Promise<DockerSandbox> {
  signal?.throwIfAborted();
  const container = await withDocker(() => docker.createContainer(containerConfig(settings)));
  const sandbox = new DockerSandbox(docker, container, settings.runId, onDestroyed);
  try {
    await withDocker(() => container.start());
  } catch (error) {
    await sandbox.destroy().catch(() => undefined);
    throw error;
  }
  signal?.addEventListener('abort', () => void sandbox.destroy().catch(() => undefined), { once: true });
  if (signal?.aborted) {
    await sandbox.destroy();
    signal.throwIfAborted();
  }
  return sandbox;
}
