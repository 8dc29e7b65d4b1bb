import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runbookFolder } from '../runbook/folder';
import type { FolderEntry } from '../uploads/folder-archive';
import type { OutgoingItem } from './secret-audit';

/** Input files larger than this are not text anyone pastes a key into: only their first bytes are audited. */
const MAX_AUDITED_FILE_BYTES = 16 * 1024 * 1024;

/** The runbook's own file in its folder. */
export const RUNBOOK_FILE = 'RUNBOOK.md';

/** A runbook's folder as it leaves for a remote: each file's bytes read once (what is audited is what is sent). */
export interface OutgoingFolder {
  entries: FolderEntry[];
  bytes: number;
  /** What the folder leaves out (a link out of it, a special file), as a local run does. */
  skipped: { path: string; reason: string }[];
}

/**
 * The folder of the runbook at `runbookPath` as `runbookFolder` lists it for a local run
 * (bounded, `.jettyignore` honoured, no link out of it), read into memory; its RUNBOOK.md is
 * `text`, the runbook as read for the push.
 */
export async function readOutgoingFolder(runbookPath: string, text: string): Promise<OutgoingFolder> {
  const folder = await runbookFolder(runbookPath);
  const entries: FolderEntry[] = [];
  for (const f of folder.files) entries.push({ path: f.path, mode: f.mode, content: f.path === RUNBOOK_FILE ? Buffer.from(text) : await readFile(f.sourcePath) });
  if (!entries.some((e) => e.path === RUNBOOK_FILE)) entries.push({ path: RUNBOOK_FILE, mode: 0o644, content: Buffer.from(text) });
  return { entries, bytes: entries.reduce((n, e) => n + e.content.length, 0), skipped: folder.skipped };
}

/**
 * A runbook's text, parameters, input files and folder as audit items (`runbook RUNBOOK.md`,
 * `parameter x`, `file data.csv`, `folder scripts/gen.py`): the folder's every file, whole,
 * its RUNBOOK.md being the runbook item.
 */
export async function outgoingItems(input: { runbookPath?: string; text?: string; params?: Record<string, string>; files?: readonly string[]; folder?: OutgoingFolder | null }): Promise<OutgoingItem[]> {
  const items: OutgoingItem[] = [];
  if (input.text !== undefined) items.push({ item: `runbook ${input.runbookPath ? path.basename(input.runbookPath) : 'text'}`, text: input.text });
  for (const [name, value] of Object.entries(input.params ?? {})) items.push({ item: `parameter ${name}`, text: value });
  for (const file of input.files ?? []) {
    const bytes = await readFile(file);
    items.push({ item: `file ${path.basename(file)}`, text: bytes.subarray(0, MAX_AUDITED_FILE_BYTES).toString('latin1') });
  }
  for (const entry of input.folder?.entries ?? []) {
    if (entry.path !== RUNBOOK_FILE) items.push({ item: `folder ${entry.path}`, text: entry.content.toString('latin1') });
  }
  return items;
}
