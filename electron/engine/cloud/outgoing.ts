import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutgoingItem } from './secret-audit';

/** Input files larger than this are not text anyone pastes a key into: only their first bytes are audited. */
const MAX_AUDITED_FILE_BYTES = 16 * 1024 * 1024;

/** A runbook's text, parameters and input files as audit items (`runbook RUNBOOK.md`, `parameter x`, `file data.csv`). */
export async function outgoingItems(input: { runbookPath?: string; text?: string; params?: Record<string, string>; files?: readonly string[] }): Promise<OutgoingItem[]> {
  const items: OutgoingItem[] = [];
  if (input.text !== undefined) items.push({ item: `runbook ${input.runbookPath ? path.basename(input.runbookPath) : 'text'}`, text: input.text });
  for (const [name, value] of Object.entries(input.params ?? {})) items.push({ item: `parameter ${name}`, text: value });
  for (const file of input.files ?? []) {
    const bytes = await readFile(file);
    items.push({ item: `file ${path.basename(file)}`, text: bytes.subarray(0, MAX_AUDITED_FILE_BYTES).toString('latin1') });
  }
  return items;
}
