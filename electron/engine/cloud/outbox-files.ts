import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { packFolder } from '../uploads/folder-archive';
import type { OutgoingFolder } from './outgoing';

/** Copies of what outbox items send, taken when they were made: `<dataDir>/outbox-files/<idempotency key>/`. */
export const outboxFilesDir = (dataDir: string): string => path.join(dataDir, 'outbox-files');

/** A runbook's folder as an outbox item keeps it: the tar it sends, and what is in it. */
export interface FolderSnapshot {
  archive: string;
  files: { path: string; size: number }[];
  bytes: number;
}

const itemDir = (dataDir: string, key: string) => path.join(outboxFilesDir(dataDir), key);

/**
 * Writes the folder's tar for the outbox item `key`: a deploy or run that waits for the
 * remote sends the folder as it was (and as it was audited) when it was made.
 */
export async function snapshotFolder(dataDir: string, key: string, folder: OutgoingFolder): Promise<FolderSnapshot> {
  const dir = itemDir(dataDir, key);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const archive = path.join(dir, 'folder.tar');
  await pipeline(packFolder(folder.entries), createWriteStream(archive, { mode: 0o600 }));
  return { archive, files: folder.entries.map((e) => ({ path: e.path, size: e.content.length })), bytes: folder.bytes };
}

/** Removes what the outbox item `key` kept (delivered, dropped or refused). */
export const removeOutboxFiles = (dataDir: string, key: string): Promise<void> => rm(itemDir(dataDir, key), { recursive: true, force: true });

/** Removes the copies of items no longer in the outbox (a crash between taking a copy and queueing it). */
export async function sweepOutboxFiles(dataDir: string, keys: ReadonlySet<string>): Promise<void> {
  for (const name of await readdir(outboxFilesDir(dataDir)).catch(() => [] as string[])) {
    if (!keys.has(name)) await removeOutboxFiles(dataDir, name);
  }
}
