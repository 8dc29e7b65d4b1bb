/** The Problems view: every diagnostic of an open folder's runbooks and workflow files, and silencing a rule. */
import { z } from 'zod';
import { DiagnosticSchema } from './runbook';

/** Where `lint.ignore` silences a rule: the runbook's frontmatter (`lint_ignore`) or the folder's `.jettylintrc.json`. */
export const LintIgnoreScopeSchema = z.enum(['runbook', 'folder']);
export type LintIgnoreScope = z.infer<typeof LintIgnoreScopeSchema>;

export const FileProblemsSchema = z.object({
  path: z.string(),
  kind: z.enum(['runbook', 'workflow']),
  collection: z.string(),
  name: z.string(),
  diagnostics: z.array(DiagnosticSchema),
});
export type FileProblems = z.infer<typeof FileProblemsSchema>;

/** An open folder's files with diagnostics (clean ones left out), in path order, and the titles of the rules they break. */
export const FolderProblemsSchema = z.object({ folder: z.string(), files: z.array(FileProblemsSchema), rules: z.record(z.string(), z.string()) });
export type FolderProblems = z.infer<typeof FolderProblemsSchema>;
