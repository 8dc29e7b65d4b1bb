import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Workspace } from '../../../shared/contract';
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
  /** Folders Jetty keeps itself, by kind (kept across rescans). */
  const kinds = new Map<string, NonNullable<Workspace['kind']>>();

  async function scan(folder: string): Promise<Workspace> {
    const files = await findFiles(folder, (name) => name === 'RUNBOOK.md' || isWorkflowFile(name));
    const runbooks: RunbookEntry[] = [];
    for (const file of files) {
      const workflow = isWorkflowFile(file);
      const analysis = workflow ? await workflowAnalysis(file, lintWorkflow) : await analyzeRunbookFile(file);
      const count = (s: string) => analysis.diagnostics.filter((d) => d.severity === s).length;
      runbooks.push({
        path: file,
        kind: workflow ? 'workflow' : 'runbook',
        ...(workflow ? workflowPlace(file) : placeOf(folder, file)),
        title: analysis.title,
        errors: count('error'),
        warnings: count('warning'),
        infos: count('info'),
      });
    }
    const kind = kinds.get(folder);
    return { folder, runbooks, ...(kind ? { kind } : {}) };
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
      const ws = await scan(folder);
      open.set(folder, ws);
      bus.emit('workspace.changed', ws);
      return ws;
    },
    close: () => open.clear(),
  };
}
export type Workspaces = ReturnType<typeof createWorkspaces>;
