import path from 'node:path';
import type { Workspace } from '../../../shared/contract';
import { resolveInsideRoots } from './inside-roots';

/** Runbooks that came with a chat request (`<dataDir>/chat-runbooks/<collection>/<task>/RUNBOOK.md`). */
export const chatRunbooksDir = (dataDir: string): string => path.join(dataDir, 'chat-runbooks');

/** Runbook tasks deployed to this Jetty, each its runbook's whole folder (`<dataDir>/deployed/<collection>/<task>/RUNBOOK.md`). */
export const deployedTasksDir = (dataDir: string): string => path.join(dataDir, 'deployed');

/** Checks a client-given runbook path; resolves to its real path. */
export type RunbookPathCheck = (file: string) => Promise<string>;

/**
 * The check every read of a runbook by a client-given path goes through: the file must
 * lie inside an open folder, the chat runbooks or the deployed tasks (not elsewhere in the
 * data folder, which holds the API token and the secrets), else ApiError.
 */
export function runbookPathCheck(workspaces: () => Promise<Workspace[]>, dataDir: string): RunbookPathCheck {
  return async (file) => {
    const roots = [...(await workspaces()).map((w) => w.folder), chatRunbooksDir(dataDir), deployedTasksDir(dataDir)];
    return (await resolveInsideRoots(roots, file, "refusing to read a runbook outside the open folders, Jetty's chat runbooks and its deployed tasks")).target;
  };
}
