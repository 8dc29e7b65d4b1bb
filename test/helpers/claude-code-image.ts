/**
 * A sandbox image with the real Claude Code CLI, for the claude-code runtime's tests: the
 * test base image plus the CLI's Linux binary (npm's platform package, pinned) at
 * /usr/local/bin/claude.
 */
import os from 'node:os';
import type Docker from 'dockerode';
import { ensureNpmLayeredImage } from './cli-image';

export const CLAUDE_CODE_VERSION = '2.1.197';
export const CLAUDE_CODE_TEST_IMAGE = `jetty-test/claude-code:${CLAUDE_CODE_VERSION}`;

export function ensureClaudeCodeImage(docker: Docker): Promise<string> {
  const pkg = `@anthropic-ai/claude-code-linux-${os.arch()}`;
  return ensureNpmLayeredImage(docker, {
    tag: CLAUDE_CODE_TEST_IMAGE,
    packages: [`${pkg}@${CLAUDE_CODE_VERSION}`],
    executables: [`node_modules/${pkg}/claude`],
    instructions: [`COPY node_modules/${pkg}/claude /usr/local/bin/claude`],
  });
}
