export { checkForRefusal, checkWorkflow, describeIssue, describeIssues, formatJsonPath, WF, type WorkflowDocument, type WorkflowIssue } from './document';
export { createWorkflowRuntime, InvalidWorkflowError, type StartWorkflow, type WorkflowHandle, type WorkflowProgress, type WorkflowRuntime, type WorkflowRuntimeDeps } from './engine';
export { createModelClient, type ModelClient } from './model-client';
export { lintWorkflowText } from './lint';
export { runbookStep } from './runbook-step';
export { STEP_TEMPLATES, stepTemplate } from './templates/registry';

/** Whether a task document is a workflow (step_configs and steps) rather than a runbook task (`{runbook: path}`). */
export const isWorkflowDocument = (doc: Record<string, unknown>): boolean => typeof doc.runbook !== 'string';
