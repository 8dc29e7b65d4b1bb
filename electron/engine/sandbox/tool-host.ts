/**
 * What an agent can do inside a sandbox. The Docker sandbox implements it; agents use
 * only this, so an agent runtime never knows how the sandbox is made.
 * Paths are paths inside the sandbox (e.g. /app/results/summary.md).
 */
export interface ExecOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  onStdout?(chunk: string): void;
  onStderr?(chunk: string): void;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface FileEntry {
  path: string;
  type: 'file' | 'dir';
  size: number;
}

/** A file to write into the sandbox; mode defaults to 0o644. */
export interface SandboxFile {
  path: string;
  content: string;
  mode?: number;
}

export interface ToolHost {
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  readFile(path: string, options?: { maxBytes?: number }): Promise<string>;
  writeFile(path: string, content: string): Promise<void>;
  /** Writes several files at once (creating their folders): one Docker call for all of them. */
  writeFiles(files: SandboxFile[]): Promise<void>;
  listFiles(path: string): Promise<FileEntry[]>;
}

export interface AttachOptions {
  cwd?: string;
  /** Added to the container's environment. */
  env?: Record<string, string>;
}

/** A process with its standard streams attached (a stdio MCP server). */
export interface AttachedProcess {
  stdin: NodeJS.WritableStream & { end(): unknown };
  stdout: NodeJS.ReadableStream;
  stderr: NodeJS.ReadableStream;
  /** Its exit code once it has ended (null when it cannot be known). */
  exited: Promise<number | null>;
  /** Kills it and everything it started; resolves once it is gone (or the attempt gave up). */
  kill(): Promise<void>;
}

/** Where a long-lived process can run with its streams attached: the run's sandbox. */
export interface ProcessHost {
  /** Starts `argv` (no shell) and attaches its stdin, stdout and stderr. */
  attach(argv: string[], options?: AttachOptions): Promise<AttachedProcess>;
}
