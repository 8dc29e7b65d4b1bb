/**
 * A sandbox image with the real Codex CLI, for the codex runtime's tests: the test base
 * image plus the CLI's static Linux (musl) build from npm (`@openai/codex@<version>-linux-<arch>`),
 * at /opt/codex with `codex` and its `rg` on the PATH.
 */
import os from 'node:os';
import type Docker from 'dockerode';
import { ensureNpmLayeredImage } from './cli-image';

export const CODEX_VERSION = '0.171.0';
export const CODEX_TEST_IMAGE = `jetty-test/codex:${CODEX_VERSION}`;

const TARGETS: Record<string, string> = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };

export function ensureCodexImage(docker: Docker): Promise<string> {
  const target = TARGETS[os.arch()];
  if (!target) throw new Error(`no Codex build for ${os.arch()}`);
  return ensureNpmLayeredImage(docker, {
    tag: CODEX_TEST_IMAGE,
    packages: [`@openai/codex@${CODEX_VERSION}-linux-${os.arch()}`],
    executables: [`node_modules/@openai/codex/vendor/${target}/bin/codex`, `node_modules/@openai/codex/vendor/${target}/codex-path/rg`],
    instructions: [
      `COPY node_modules/@openai/codex/vendor/${target} /opt/codex`,
      'RUN ln -s /opt/codex/bin/codex /opt/codex/codex-path/rg /usr/local/bin/',
    ],
  });
}
