/**
 * A sandbox image with the real Gemini CLI, for the gemini-cli runtime's tests: the test
 * base image plus Node (the official build, from npm's `node-linux-<arch>`) and
 * `@google/gemini-cli`'s bundle at /opt/gemini-cli, with `node` and `gemini` on the PATH.
 */
import os from 'node:os';
import type Docker from 'dockerode';
import { ensureNpmLayeredImage } from './cli-image';

export const GEMINI_CLI_VERSION = '0.61.0';
export const NODE_VERSION = '22.22.2';
export const GEMINI_CLI_TEST_IMAGE = `jetty-test/gemini-cli:${GEMINI_CLI_VERSION}`;

export function ensureGeminiCliImage(docker: Docker): Promise<string> {
  return ensureNpmLayeredImage(docker, {
    tag: GEMINI_CLI_TEST_IMAGE,
    packages: [`node-linux-${os.arch()}@${NODE_VERSION}`, `@google/gemini-cli@${GEMINI_CLI_VERSION}`],
    executables: [`node_modules/node-linux-${os.arch()}/bin/node`, 'node_modules/@google/gemini-cli/bundle/gemini.js'],
    instructions: [
      `COPY node_modules/node-linux-${os.arch()}/bin/node /usr/local/bin/node`,
      'COPY node_modules/@google/gemini-cli /opt/gemini-cli',
      'RUN ln -s /opt/gemini-cli/bundle/gemini.js /usr/local/bin/gemini && node --version',
    ],
  });
}
