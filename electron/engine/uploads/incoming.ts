/**
 * Where a request's files wait while they arrive (`<files>/.incoming/<folder>`): each
 * folder is named after the process receiving it, so a process that starts can remove what
 * a killed one left (`sweepIncoming`) without touching another live process's uploads.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { isOwnerProcessAlive, processOwnerToken } from '../store/owner';

/** A folder left by the format before owners were named is removed once it is this old. */
const UNOWNED_MAX_AGE_MS = 60 * 60 * 1000;

/** A fresh folder name for one request's files under `root`: `<owner, base64url>.<random>`. */
export const incomingFolder = (root: string): string =>
  path.join(root, `${Buffer.from(processOwnerToken()).toString('base64url')}.${randomBytes(8).toString('hex')}`);

const ownerOf = (name: string): string | null => {
  const dot = name.indexOf('.');
  return dot > 0 ? Buffer.from(name.slice(0, dot), 'base64url').toString('utf8') : null;
};

/** Removes the folders of processes that are gone (and unowned ones older than an hour); returns how many. */
export async function sweepIncoming(root: string, now = Date.now()): Promise<number> {
  const names = await readdir(root).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const owner = ownerOf(name);
    const gone = owner !== null && owner.split(':').length === 4 ? !isOwnerProcessAlive(owner) : now - ((await stat(path.join(root, name)).catch(() => null))?.mtimeMs ?? now) > UNOWNED_MAX_AGE_MS;
    if (!gone) continue;
    await rm(path.join(root, name), { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}
