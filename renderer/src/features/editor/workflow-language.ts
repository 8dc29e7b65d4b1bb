import type * as Monaco from 'monaco-editor/editor/editor.api.js';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register.js';
import type { MethodOutput, WorkflowActivity } from '../../../../shared/contract';
import { stringAtOffset } from '../workflows/json-cursor';
import { pathSuggestions, pathValueStep, type WorkflowShape } from '../workflows/path-completions';
import { isWorkflowPath } from '../workflows/workflow-path';

type MonacoApi = typeof Monaco;

/** Workflow files are edited as JSON; the schema and our completions apply to `*.workflow.json` only. */
export const WORKFLOW_LANGUAGE = 'json';

let activities: readonly WorkflowActivity[] = [];
/** The last text of each workflow model that parsed, for completions while the buffer does not. */
const lastParsed = new Map<string, WorkflowShape & { workflow?: WorkflowShape }>();

/** Gives Monaco's JSON language the workflow schema (from `workflow.schema`): activity names, parameters, hovers. */
export function applyWorkflowSchema(schema: MethodOutput<'workflow.schema'>): void {
  activities = schema.activities;
  jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    enableSchemaRequest: false,
    schemas: [{ uri: 'jetty://schemas/workflow.json', fileMatch: ['*.workflow.json'], schema: schema.schema }],
  });
}

function documentOf(model: Monaco.editor.ITextModel): WorkflowShape & { workflow?: WorkflowShape } {
  const key = model.uri.toString();
  try {
    const value = JSON.parse(model.getValue()) as WorkflowShape & { workflow?: WorkflowShape };
    if (value && typeof value === 'object') lastParsed.set(key, value);
  } catch {
    // typing: keep the last text that parsed
  }
  return lastParsed.get(key) ?? {};
}

/** Completion of path expressions in `*_path` values and of step names in `steps`. */
export function registerWorkflowCompletions(monaco: MonacoApi): void {
  const Kind = monaco.languages.CompletionItemKind;
  monaco.languages.registerCompletionItemProvider(WORKFLOW_LANGUAGE, {
    triggerCharacters: ['"', '.'],
    provideCompletionItems(model, position) {
      if (!isWorkflowPath(model.uri.path)) return { suggestions: [] };
      const text = model.getValue();
      const cursor = stringAtOffset(text, model.getOffsetAt(position));
      if (!cursor) return { suggestions: [] };
      const whole = documentOf(model);
      const isTask = typeof whole.workflow === 'object' && whole.workflow !== null;
      const doc = isTask ? whole.workflow! : whole;
      const prefix = isTask ? ['workflow'] : [];
      const start = model.getPositionAt(cursor.start);
      const range = { startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: position.lineNumber, endColumn: position.column };
      const step = pathValueStep(cursor, prefix);
      if (step !== null) {
        return {
          suggestions: pathSuggestions(doc, step, activities).map((s) => ({ label: s.expression, detail: s.detail, kind: Kind.Reference, insertText: s.expression, range })),
        };
      }
      const place = cursor.path.slice(prefix.length);
      if (!cursor.isKey && place[0] === 'steps' && place.length === 2) {
        return { suggestions: Object.keys(doc.step_configs ?? {}).map((name) => ({ label: name, kind: Kind.Function, insertText: name, range })) };
      }
      return { suggestions: [] };
    },
  });
}
