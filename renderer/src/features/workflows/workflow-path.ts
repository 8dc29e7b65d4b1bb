/** Workflow files live beside runbooks as `<collection>/<task>.workflow.json`. */
export const isWorkflowPath = (path: string): boolean => path.endsWith('.workflow.json');
