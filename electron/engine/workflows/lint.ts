import type { Diagnostic } from '../../../shared/runbook';
import { checkWorkflow } from './document';
import { locateJsonPath } from './json-locate';

export interface WorkflowLint {
  path: string;
  kind: 'workflow';
  diagnostics: Diagnostic[];
}

/**
 * Lints a workflow file's text: a workflow document, or a task `{name, description,
 * workflow}`; diagnostics are located at the line and column of the member they name.
 */
export function lintWorkflowText(file: string, text: string): WorkflowLint {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const range = { line: 1, column: 1, endLine: 1, endColumn: 1 };
    return { path: file, kind: 'workflow', diagnostics: [{ severity: 'error', code: 'WF000', message: `not valid JSON: ${(error as Error).message}`, range }] };
  }
  const isTask = typeof value === 'object' && value !== null && 'workflow' in value && typeof (value as { workflow: unknown }).workflow === 'object';
  const prefix = isTask ? ['workflow'] : [];
  const doc = isTask ? (value as { workflow: unknown }).workflow : value;
  const diagnostics = checkWorkflow(doc).issues.map((issue): Diagnostic => {
    const { line, column } = locateJsonPath(text, [...prefix, ...issue.path]);
    return { severity: 'error', code: issue.code, message: issue.message, range: { line, column, endLine: line, endColumn: column }, ...(issue.hint ? { hint: issue.hint } : {}) };
  });
  return { path: file, kind: 'workflow', diagnostics };
}
