/**
 * Test sandbox images with a real agent CLI: the test base image plus files from npm
 * packages (pinned, installed on the host with npm, so the build needs no registry inside
 * Docker). Each image is built once per tag; later runs find it by tag.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { TEST_BASE_IMAGE } from './docker';

const run = promisify(execFile);

export interface NpmLayeredImage {
  tag: string;
  /** The image it builds on (default: the test base image). */
  from?: string;
  /** npm package specs, installed into the build context's node_modules/. */
  packages: string[];
  /** Files (relative to the context) made executable before the build (a RUN chmod would copy them into a second layer). */
  executables?: string[];
  /** Dockerfile instructions after `FROM <test base>`; COPY sources are relative to the context (node_modules/…). */
  instructions: string[];
}

export async function ensureNpmLayeredImage(docker: Docker, image: NpmLayeredImage): Promise<string> {
  const present = await docker
    .getImage(image.tag)
    .inspect()
    .then(() => true, () => false);
  if (present) return image.tag;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-cli-image-'));
  try {
    await run('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=optional', ...image.packages], {
      maxBuffer: 16 << 20,
    });
    for (const file of image.executables ?? []) await chmod(path.join(dir, file), 0o755);
    await writeFile(path.join(dir, 'Dockerfile'), [`FROM ${image.from ?? TEST_BASE_IMAGE}`, ...image.instructions, ''].join('\n'));
    await writeFile(path.join(dir, '.dockerignore'), 'package*.json\n');
    await run('docker', ['build', '-q', '-t', image.tag, dir], { maxBuffer: 16 << 20 });
    return image.tag;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
