import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { extractTree, packTar, safeRelativePath, type ContentFilter, type ExtractLimits, type ExtractedTree, type TarInput } from './archive';
import { SandboxError, dockerStatusCode, withDocker } from './errors';
import { attachInContainer } from './attach';
import { execInContainer } from './exec';
import { SANDBOX_WORKDIR, listSandboxFiles, readSandboxFile, sandboxFileEntries } from './files';
import { ASSETS_DIR, RESULTS_DIR, containerConfig, type ContainerSettings } from './container-config';
import type { DockerActivity } from './activity';
import { requestRemoval } from './removal';
import type { AttachedProcess, AttachOptions, ExecOptions, ExecResult, FileEntry, ProcessHost, SandboxFile, ToolHost } from './tool-host';

export const DEFAULT_RESULT_LIMITS: ExtractLimits = { maxBytes: 1024 * 1024 * 1024, maxFiles: 10_000 };

/** An input file for /app/assets: inline content or a local file to copy. */
export type AssetInput = { name: string; content: string | Buffer } | { name: string; sourcePath: string };

/** The run's files going in: how long their archive took, and how many files it carried with them. */
export interface FilesIn {
  ms: number;
  files: number;
}

export interface RunSandboxOptions {
  runId: string;
  /** The run's environment (its secrets among it), given to every command it runs; never part of the container. */
  env?: Record<string, string>;
  /** Adopted from a warm pool (started before the run), or made for the run. */
  adopted?: boolean;
  /** Counts this sandbox's Docker operations while they last (a warm pool refills only when runs leave Docker alone). */
  activity?: DockerActivity;
  /**
   * `destroy` resolves once Docker was asked (`requestRemoval`), not once it is done: for a
   * one-shot process, which then need not wait for the removal before it exits.
   */
  removalAsked?: boolean;
  onDestroyed?(sandbox: DockerSandbox): void;
}

/** A deferred promise: `promise` settles when `resolve` or `reject` is called. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * One run's container: a ToolHost for agents, plus files in and out and its lifecycle. The
 * run's environment goes with each command, and its files (the runbook's folder, the inputs)
 * are staged and go in with the first thing that touches the container — the agent's own
 * files, a command, a read — in one archive.
 */
export class DockerSandbox implements ToolHost, ProcessHost {
  private removal: Promise<void> | undefined;
  private readonly env: Record<string, string>;
  /** Staged entries, paths relative to `/`, not yet sent. */
  private staged: TarInput[] = [];
  /** The archives sent so far, in order; each waits for the one before. */
  private sending: Promise<void> = Promise.resolve();
  private readonly filesIn = deferred<FilesIn | null>();
  readonly runId: string;
  readonly adopted: boolean;
  private readonly onDestroyed?: (sandbox: DockerSandbox) => void;
  private readonly activity?: DockerActivity;
  private readonly removalAsked: boolean;

  constructor(
    private readonly docker: Docker,
    private readonly container: Docker.Container,
    options: RunSandboxOptions,
  ) {
    this.runId = options.runId;
    this.env = { ...options.env };
    this.adopted = options.adopted ?? false;
    this.onDestroyed = options.onDestroyed;
    this.activity = options.activity;
    this.removalAsked = options.removalAsked ?? false;
    // Nobody may wait on it (a run with no files that ends early): never an unhandled rejection.
    this.filesIn.promise.catch(() => undefined);
  }

  get id(): string {
    return this.container.id;
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    await this.filesReady();
    return this.busy(() => execInContainer(this.docker, this.container, command, { ...options, env: { ...this.env, ...options.env } }));
  }

  /**
   * Starts a process with its streams attached (a stdio MCP server), once the run's files are
   * in (it may be one of them). Not counted as Docker work while it lives, and without the
   * run's environment: its secrets are for the run's commands, not its servers.
   */
  async attach(argv: string[], options?: AttachOptions): Promise<AttachedProcess> {
    await this.filesReady();
    return attachInContainer(this.docker, this.container, argv, options);
  }

  async readFile(path: string, options?: { maxBytes?: number }): Promise<string> {
    await this.filesReady();
    return this.busy(() => readSandboxFile(this.container, path, options?.maxBytes));
  }

  async writeFile(path: string, content: string): Promise<void> {
    await this.writeFiles([{ path, content }]);
  }

  /** Writes the files, and whatever is staged, in one archive. */
  async writeFiles(files: SandboxFile[]): Promise<void> {
    await this.send(sandboxFileEntries(files));
  }

  async listFiles(path: string): Promise<FileEntry[]> {
    await this.filesReady();
    return this.busy(() => listSandboxFiles(this.docker, this.container, path));
  }

  /**
   * Stages files for the working directory (/app) under their relative paths, with their
   * modes: the runbook's folder, so its scripts and data sit where it expects them.
   */
  stageFiles(files: { path: string; sourcePath: string; mode: number }[]): void {
    this.stage(files.map((f) => ({ type: 'file', path: `${SANDBOX_WORKDIR.slice(1)}/${safeRelativePath(f.path, 'file path')}`, sourcePath: f.sourcePath, mode: f.mode })));
  }

  /** Stages inputs for /app/assets; names are relative paths (no `..`). Returns the sandbox paths. */
  stageAssets(assets: AssetInput[]): string[] {
    const names = assets.map((asset) => safeRelativePath(asset.name, 'asset name'));
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate !== undefined) throw new SandboxError(`Duplicate asset name "${duplicate}"`);
    const at = (name: string) => `${ASSETS_DIR.slice(1)}/${name}`;
    this.stage(assets.map((asset, i) => ('content' in asset ? { type: 'file', path: at(names[i]), content: asset.content } : { type: 'file', path: at(names[i]), sourcePath: asset.sourcePath })));
    return names.map((name) => `${ASSETS_DIR}/${name}`);
  }

  /** Copies files into /app now (stageFiles, then sendFiles). */
  async putFiles(files: { path: string; sourcePath: string; mode: number }[]): Promise<void> {
    this.stageFiles(files);
    await this.sendFiles();
  }

  /** Copies inputs into /app/assets now (stageAssets, then sendFiles). Returns the sandbox paths. */
  async putAssets(assets: AssetInput[]): Promise<string[]> {
    const paths = this.stageAssets(assets);
    await this.sendFiles();
    return paths;
  }

  /** Sends what is staged now, in one archive (nothing when nothing is). */
  sendFiles(): Promise<void> {
    return this.send([]);
  }

  /** Resolves once the staged files are in (null: none were staged before the run ended); rejects with the archive's failure. */
  filesSent(): Promise<FilesIn | null> {
    return this.filesIn.promise;
  }

  /**
   * Copies /app/results into `dest` (a fresh local folder), each file's contents through
   * `filter` when given, and lists the files with size, sha256 and media type.
   */
  async collectResults(dest: string, limits: ExtractLimits = DEFAULT_RESULT_LIMITS, filter?: ContentFilter): Promise<ExtractedTree> {
    await this.filesReady();
    return this.busy(async () => {
      let archive: Readable;
      try {
        archive = (await withDocker(() => this.container.getArchive({ path: RESULTS_DIR }))) as Readable;
      } catch (error) {
        if (dockerStatusCode(error) === 404) return { artifacts: [], skipped: [] };
        throw error;
      }
      return extractTree(archive, dest, limits, filter);
    });
  }

  /** Kills and removes the container (no graceful stop: a cancel must be quick). Idempotent. */
  destroy(): Promise<void> {
    this.filesIn.resolve(null);
    this.removal ??= withDocker(() => (this.removalAsked ? requestRemoval(this.docker, this.container.id) : null) ?? this.container.remove({ force: true }))
      .catch((error) => {
        if (dockerStatusCode(error) !== 404) throw error;
      })
      .then(() => this.onDestroyed?.(this));
    return this.removal;
  }

  private async busy<T>(work: () => Promise<T>): Promise<T> {
    const end = this.activity?.begin();
    try {
      return await work();
    } finally {
      end?.();
    }
  }

  /** Entries staged later go later in the archive: an input file wins over a folder's file of the same name, as it did when each went alone. */
  private stage(entries: TarInput[]): void {
    this.staged.push(...entries);
  }

  /** Waits until everything staged is in (sending it when it has not gone yet). */
  private async filesReady(): Promise<void> {
    await (this.staged.length > 0 ? this.send([]) : this.sending);
  }

  /** One archive of what is staged and then `extra` (so `extra` wins a clash), after the archives before it. */
  private send(extra: TarInput[]): Promise<void> {
    const carried = this.staged.length;
    const entries = [...this.staged, ...extra];
    this.staged = [];
    if (entries.length === 0) return this.sending;
    const put = async () => {
      const started = performance.now();
      await this.busy(() => withDocker(() => this.container.putArchive(packTar(entries), { path: '/' })));
      if (carried > 0) this.filesIn.resolve({ ms: Math.round(performance.now() - started), files: carried });
    };
    this.sending = this.sending.then(put).catch((error: unknown) => {
      this.filesIn.reject(error);
      throw error;
    });
    return this.sending;
  }
}

/** Creates and starts a long-lived container (its entrypoint makes /app/assets and /app/results); removed again when the start fails. */
export async function startContainer(docker: Docker, settings: ContainerSettings): Promise<Docker.Container> {
  const container = await withDocker(() => docker.createContainer(containerConfig(settings)));
  try {
    await withDocker(() => container.start());
  } catch (error) {
    await container.remove({ force: true }).catch(() => undefined);
    throw error;
  }
  return container;
}

/** Destroys `sandbox` when `signal` (the run's cancel) aborts; throws at once when it already has. */
export async function destroyOnAbort(sandbox: DockerSandbox, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  signal.addEventListener('abort', () => void sandbox.destroy().catch(() => undefined), { once: true });
  if (signal.aborted) {
    await sandbox.destroy();
    signal.throwIfAborted();
  }
}

/** Creates and starts a container for one run (see `startContainer`); a `signal` (the run's cancel) destroys it when aborted. */
export async function startSandbox(
  docker: Docker,
  settings: ContainerSettings & { runId: string },
  { signal, env, onDestroyed }: { signal?: AbortSignal; env?: Record<string, string>; onDestroyed?: (sandbox: DockerSandbox) => void } = {},
): Promise<DockerSandbox> {
  signal?.throwIfAborted();
  const container = await startContainer(docker, settings);
  const sandbox = new DockerSandbox(docker, container, { runId: settings.runId, env, onDestroyed });
  await destroyOnAbort(sandbox, signal);
  return sandbox;
}
