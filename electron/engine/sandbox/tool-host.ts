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
