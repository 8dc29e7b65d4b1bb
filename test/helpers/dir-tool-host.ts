/**
 * A ToolHost over a temporary directory, running `bash` locally: for the agent's unit
 * tests only (real runs use the Docker sandbox). Sandbox paths map into the directory
 * (`/app/results/x` → `<root>/app/results/x`), and every `/app` path in a command is
 * rewritten the same way, so commands written for the sandbox stay inside the directory.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ExecOptions, ExecResult, FileEntry, SandboxFile, ToolHost } from '../../electron/engine/sandbox/tool-host';

export interface DirToolHost extends ToolHost {
  /** The temp directory standing in for the sandbox's `/`. */
  root: string;
  /** The real path of a sandbox path. */
  resolve(sandboxPath: string): string;
  dispose(): Promise<void>;
}

export async function createDirToolHost(): Promise<DirToolHost> {
  const root = await mkdtemp(path.join(tmpdir(), 'jetty-dir-host-'));
  await mkdir(path.join(root, 'app', 'results'), { recursive: true });
  await mkdir(path.join(root, 'app', 'assets'), { recursive: true });

  const resolve = (p: string) => {
    const real = path.join(root, path.posix.resolve('/app', p));
    if (real !== root && !real.startsWith(root + path.sep)) throw new Error(`path escapes the sandbox: ${p}`);
    return real;
  };
  const toSandbox = (real: string) => `/${path.relative(root, real).split(path.sep).join('/')}`;
  const rewriteCommand = (command: string) => command.replace(/(?<![\w./-])\/app(?=\/|\b|$)/g, path.join(root, 'app'));

  async function writeOne(file: SandboxFile) {
    const real = resolve(file.path);
    await mkdir(path.dirname(real), { recursive: true });
    await writeFile(real, file.content);
    if (file.mode !== undefined) await chmod(real, file.mode);
  }

  function exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((done, fail) => {
      const child = spawn('bash', ['-c', rewriteCommand(command)], {
        cwd: resolve(options.cwd ?? '/app'),
        env: { ...process.env, ...options.env },
        detached: true,
      });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      const kill = () => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      };
      const timer = options.timeoutMs ? setTimeout(() => ((timedOut = true), kill()), options.timeoutMs) : undefined;
      options.signal?.addEventListener('abort', kill, { once: true });
      child.stdout.setEncoding('utf8').on('data', (s: string) => ((stdout += s), options.onStdout?.(s)));
      child.stderr.setEncoding('utf8').on('data', (s: string) => ((stderr += s), options.onStderr?.(s)));
      child.on('error', fail);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', kill);
        done({ exitCode: code ?? (signal ? 137 : 1), stdout, stderr, timedOut });
      });
    });
  }

  async function listFiles(dir: string): Promise<FileEntry[]> {
    const entries = await readdir(resolve(dir), { recursive: true, withFileTypes: true });
    return Promise.all(
      entries.map(async (e) => {
        const real = path.join(e.parentPath, e.name);
        return { path: toSandbox(real), type: e.isDirectory() ? ('dir' as const) : ('file' as const), size: e.isDirectory() ? 0 : (await stat(real)).size };
      }),
    );
  }

  return {
    root,
    resolve,
    exec,
    async readFile(p, options) {
      const data = await readFile(resolve(p));
      return data.subarray(0, options?.maxBytes ?? data.length).toString('utf8');
    },
    writeFile: (p, content) => writeOne({ path: p, content }),
    async writeFiles(files) {
      for (const file of files) await writeOne(file);
    },
    listFiles,
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}
