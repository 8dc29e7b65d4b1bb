import type { Diagnostic } from '../../../shared/runbook';
import { checkWorkflow } from './document';
import { locateJsonPath } from './json-locate';

export interface WorkflowLint {
  path: string;
  kind: 'workflow';
  diagnostics: Diagnostic[];
}

/**
 * Where JSON.parse stopped, as a line and column (1-based) of `text`, and why: V8 says
 * "at position N" (and on newer Node "(line L column C)"), or that the input ended.
 */
export function jsonSyntaxError(text: string, message: string): { line: number; column: number; reason: string } {
  const position = /at position (\d+)/.exec(message);
  const offset = position ? Math.min(Number(position[1]), text.length) : /end of JSON input/.test(message) ? text.length : 0;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  const reason = message.replace(/\s*in JSON at position \d+( \(line \d+ column \d+\))?/, '').replace(/^Unexpected end of JSON input$/, 'the text ends before the JSON does');
  return { line, column, reason };
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
    const { line, column, reason } = jsonSyntaxError(text, (error as Error).message);
    const range = { line, column, endLine: line, endColumn: column + 1 };
    return { path: file, kind: 'workflow', diagnostics: [{ severity: 'error', code: 'WF000', message: `not valid JSON at line ${line}, column ${column}: ${reason}`, range }] };
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
