/**
 * A sandbox image with the real Claude Code CLI, for the claude-code runtime's tests: the
 * test base image plus the CLI's Linux binary (npm's platform package, pinned) at
 * /usr/local/bin/claude. Built once per version; later runs find it by tag.
 */
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { TEST_BASE_IMAGE } from './docker';

const run = promisify(execFile);

export const CLAUDE_CODE_VERSION = '2.1.197';
export const CLAUDE_CODE_TEST_IMAGE = `jetty-test/claude-code:${CLAUDE_CODE_VERSION}`;

export async function ensureClaudeCodeImage(docker: Docker): Promise<string> {
  const present = await docker
    .getImage(CLAUDE_CODE_TEST_IMAGE)
    .inspect()
    .then(() => true, () => false);
  if (present) return CLAUDE_CODE_TEST_IMAGE;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-claude-code-'));
  try {
    const pkg = `@anthropic-ai/claude-code-linux-${os.arch()}`;
    await run('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', `${pkg}@${CLAUDE_CODE_VERSION}`], { maxBuffer: 16 << 20 });
    await copyFile(path.join(dir, 'node_modules', pkg, 'claude'), path.join(dir, 'claude'));
    await chmod(path.join(dir, 'claude'), 0o755);
    await writeFile(path.join(dir, 'Dockerfile'), `FROM ${TEST_BASE_IMAGE}\nCOPY claude /usr/local/bin/claude\n`);
    await writeFile(path.join(dir, '.dockerignore'), 'node_modules\npackage*.json\n');
    await run('docker', ['build', '-q', '-t', CLAUDE_CODE_TEST_IMAGE, dir], { maxBuffer: 16 << 20 });
    return CLAUDE_CODE_TEST_IMAGE;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
