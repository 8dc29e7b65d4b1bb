import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Workspace } from '../../../shared/contract';
import type { FileProblems, FolderProblems } from '../../../shared/problems';
import type { Diagnostic, RunbookEntry } from '../../../shared/runbook';
import { ApiError } from '../../../shared/rpc';
import type { EventBus } from '../base/events';
import { analyzeRunbookFile } from '../runbook';
import { findFiles, placeOf } from './find-runbooks';
import { isWorkflowFile, parseWorkflowText, workflowPlace } from './workflow-files';

/** Lints a workflow document's text (the workflow engine's linter, passed in: workspaces sit below workflows). */
export type WorkflowLinter = (file: string, text: string) => { diagnostics: Diagnostic[] };

/** A workflow file's diagnostics, and its task description as its title. */
async function workflowAnalysis(file: string, lintWorkflowText: WorkflowLinter): Promise<{ title: string | null; diagnostics: Diagnostic[] }> {
  const text = await readFile(file, 'utf8');
  let title: string | null = null;
  try {
    title = parseWorkflowText(text).description;
  } catch {
    // not JSON: the lint below says so
  }
  return { title, diagnostics: lintWorkflowText(file, text).diagnostics };
}

/** The folders open in this session and the runbooks (and workflow files, linted by `lintWorkflow`) found in each. */
export function createWorkspaces(bus: EventBus, lintWorkflow: WorkflowLinter) {
  const open = new Map<string, Workspace>();
  /** Each open folder's files with diagnostics, from its last scan. */
  const problems = new Map<string, FileProblems[]>();
  /** Folders Jetty keeps itself, by kind (kept across rescans). */
  const kinds = new Map<string, NonNullable<Workspace['kind']>>();

  async function scan(folder: string): Promise<{ workspace: Workspace; problems: FileProblems[] }> {
    const files = await findFiles(folder, (name) => name === 'RUNBOOK.md' || isWorkflowFile(name));
    const runbooks: RunbookEntry[] = [];
    const found: FileProblems[] = [];
    for (const file of files) {
      const workflow = isWorkflowFile(file);
      const analysis = workflow ? await workflowAnalysis(file, lintWorkflow) : await analyzeRunbookFile(file);
      const count = (s: string) => analysis.diagnostics.filter((d) => d.severity === s).length;
      const place = workflow ? workflowPlace(file) : placeOf(folder, file);
      const kind = workflow ? 'workflow' : 'runbook';
      runbooks.push({ path: file, kind, ...place, title: analysis.title, errors: count('error'), warnings: count('warning'), infos: count('info') });
      if (analysis.diagnostics.length > 0) found.push({ path: file, kind, ...place, diagnostics: analysis.diagnostics });
    }
    const kind = kinds.get(folder);
    return { workspace: { folder, runbooks, ...(kind ? { kind } : {}) }, problems: found };
  }

  return {
    list: async () => [...open.values()],
    /** Opens (or rescans) a folder; `kind` marks one Jetty keeps itself (the deployed tasks). */
    async open(input: string, kind?: Workspace['kind']): Promise<Workspace> {
      const folder = path.resolve(input);
      if (kind) kinds.set(folder, kind);
      const info = await stat(folder).catch(() => null);
      if (!info) throw new ApiError('not_found', `folder not found: ${folder}`);
      if (!info.isDirectory()) throw new ApiError('invalid_input', `not a folder: ${folder}`);
      const { workspace: ws, problems: found } = await scan(folder);
      open.set(folder, ws);
      problems.set(folder, found);
      bus.emit('workspace.changed', ws);
      return ws;
    },
    /** An open folder's files with diagnostics, as its last scan found them (a save or a change on disk rescans it). */
    problems(folder: string): Omit<FolderProblems, 'rules'> {
      const files = problems.get(path.resolve(folder));
      if (!files) throw new ApiError('not_found', `${folder} is not an open folder`);
      return { folder: path.resolve(folder), files };
    },
    close: () => {
      open.clear();
      problems.clear();
    },
  };
}
export type Workspaces = ReturnType<typeof createWorkspaces>;
