/**
 * The real Claude Code CLI on the host (not in a sandbox), for tests of Jetty's MCP server
 * as Claude Code uses it: the pinned Linux binary from npm's platform package, installed
 * once per version under the temp folder (later runs find it there).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CLAUDE_CODE_VERSION } from './claude-code-image';

const run = promisify(execFile);

/** The path of the `claude` binary, installed with npm if this version is not there yet. */
export async function ensureClaudeCodeOnHost(): Promise<string> {
  if (process.platform !== 'linux') throw new Error('the host Claude Code helper installs the Linux binary only');
  const pkg = `@anthropic-ai/claude-code-linux-${os.arch()}`;
  const dir = path.join(os.tmpdir(), `jetty-test-claude-code-${CLAUDE_CODE_VERSION}`);
  const binary = (root: string) => path.join(root, 'node_modules', pkg, 'claude');
  if (existsSync(binary(dir))) return binary(dir);
  const staging = await mkdtemp(`${dir}-`);
  try {
    await run('npm', ['install', '--prefix', staging, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=optional', `${pkg}@${CLAUDE_CODE_VERSION}`], {
      maxBuffer: 16 << 20,
    });
    await chmod(binary(staging), 0o755);
    // A whole install appears at once; another process that got there first wins.
    await rename(staging, dir).catch((error: NodeJS.ErrnoException) => {
      if (!existsSync(binary(dir))) throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return binary(dir);
}
