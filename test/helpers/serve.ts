import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface ServedJetty {
  /** The URL printed by `jetty serve`, token fragment included. */
  url: string;
  origin: string;
  port: number;
  token: string;
  dataDir: string;
  child: ChildProcess;
  /** Everything the process wrote so far. */
  output(): string;
  /** SIGTERM, then waits for the exit code. */
  stop(): Promise<number | null>;
}

const REPO = path.resolve(import.meta.dirname, '../..');
const URL_LINE = /Jetty Desktop is serving .+ at (http:\/\/127\.0\.0\.1:(\d+))\/#token=(\S+)/;

/**
 * Starts the built `jetty serve <folder>` on a random port with a known token and a fresh
 * data dir (or `dataDir`, prepared by the caller; removed on stop either way); `env` adds
 * variables (e.g. OPENAI_BASE_URL, JETTY_SANDBOX_IMAGE); `fromSource` runs the sources;
 * `cwd` is its working folder (default the repository). `port` and `token` make it the remote
 * a client was already pointed at.
 */
export async function startJettyServe(
  folder: string,
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; dataDir?: string; fromSource?: boolean; cwd?: string; port?: number; token?: string } = {},
): Promise<ServedJetty> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'jetty-serve-')));
  const token = options.token ?? randomBytes(24).toString('base64url');
  // `fromSource`: the CLI's TypeScript through tsx (the renderer still comes from `out/`), no build needed.
  const cli = options.fromSource ? ['--import', 'tsx', path.join(REPO, 'electron/cli/index.ts')] : [path.join(REPO, 'bin/jetty.mjs')];
  const child = spawn(process.execPath, [...cli, 'serve', folder, '--port', String(options.port ?? 0), '--data-dir', dataDir, '--no-open'], {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, ...options.env, JETTY_API_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`jetty serve printed no URL within ${options.timeoutMs ?? 20_000} ms:\n${output}`)), options.timeoutMs ?? 20_000);
    const check = () => {
      const m = output.match(URL_LINE);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`jetty serve exited with ${code} before printing its URL:\n${output}`));
    });
  });

  return {
    url: match[0].slice(match[0].indexOf('http://')),
    origin: match[1],
    port: Number(match[2]),
    token: match[3],
    dataDir,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      await rm(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
