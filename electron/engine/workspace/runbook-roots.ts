import path from 'node:path';
import type { Workspace } from '../../../shared/contract';
import { resolveInsideRoots } from './inside-roots';

/** Runbooks that came with a chat request (`<dataDir>/chat-runbooks/<collection>/<task>/RUNBOOK.md`). */
export const chatRunbooksDir = (dataDir: string): string => path.join(dataDir, 'chat-runbooks');

/**
 * Where a runbook may be read by a client-given path: the open folders and the chat
 * runbooks. Not the rest of the data folder, which holds the API token and the secrets.
 */
export const runbookRoots = (open: Workspace[], dataDir: string): string[] => [...open.map((w) => w.folder), chatRunbooksDir(dataDir)];

/** The real path of a runbook `file` inside `roots` (see runbookRoots), or ApiError. */
export async function readableRunbook(roots: string[], file: string): Promise<string> {
  const { target } = await resolveInsideRoots(roots, file, "refusing to read a runbook outside the open folders and Jetty's chat runbooks");
  return target;
}
