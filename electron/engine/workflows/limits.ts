/**
 * What one workflow document may make the engine do. A document is a program the server
 * runs on a user's behalf and may come from anyone who can create a task: each bound below
 * stops a kind of runaway (memory, disk, event loop, processes) with a clear step error.
 * The runtime takes overrides (`WorkflowRuntimeDeps.limits`, tests only raise or lower them).
 */
export interface WorkflowLimits {
  /** JSON characters of one step's resolved inputs (literals, `*_path` values, filled `{{ }}` references). */
  stepInputChars: number;
  /** JSON characters of one step's outputs, checked while a text step builds them and once it returns. */
  stepOutputChars: number;
  /** `{{ }}` references one step's inputs (or one text_template) may fill. */
  templateExpansions: number;
  /** JSON characters a root run and every run under it may journal: step inputs and outputs, children's documents and parameters. */
  treeJournalChars: number;
  /** Levels of child workflows under a root run (a child is 1); a workflow that starts itself stops here. */
  depth: number;
  /** Child workflows a root run and its descendants may start in all. */
  childrenPerRoot: number;
  /** Child workflows of one root running at once (a run waiting on its own children does not count). */
  liveChildrenPerRoot: number;
  /** Child workflows running at once in the engine, over every root. */
  liveChildren: number;
  /** Bytes of one stored file a step reads (an image it sends inline, an uploaded text). */
  fileBytes: number;
}

/**
 * JSON characters of one workflow document (every door checks it: REST, the app, the CLI,
 * lint, fan-out children). Real documents are kilobytes (a 10,000-step one is under 1 Mi);
 * each is parsed, validated and journaled whole, in one turn of the event loop.
 */
export const MAX_WORKFLOW_DOCUMENT_CHARS = 4 * 1024 * 1024;
/** 4 Mi characters: a 1M-token prompt fits; journaling one (JSON, redaction, SQLite) stays well under 100 ms. */
export const MAX_STEP_INPUT_CHARS = 4 * 1024 * 1024;
/** As for inputs: outputs are journaled the same way and read by the next steps. */
export const MAX_STEP_OUTPUT_CHARS = 4 * 1024 * 1024;
/** Far more references than a prompt template has; a document that repeats one 200,000 times stops here. */
export const MAX_TEMPLATE_EXPANSIONS = 10_000;
/** 512 Mi characters of journal per root run: a 10,000-child fan-out of small children uses a few percent. */
export const MAX_TREE_JOURNAL_CHARS = 512 * 1024 * 1024;
/** Fan-outs of fan-outs nest 2–3 levels in practice; a self-referencing fan-out ends at 4. */
export const MAX_WORKFLOW_DEPTH = 4;
/** One fan-out over 10,000 items (or a tree as large): each child is a journaled trajectory of its own. */
export const MAX_CHILDREN_PER_ROOT = 10_000;
/** Children of one root running at once, whatever `max_concurrency` asks: each holds memory and may hold a sandbox. */
export const MAX_LIVE_CHILDREN_PER_ROOT = 32;
/** Children running at once in one engine (over every root), so several large fan-outs cannot starve the process. */
export const MAX_LIVE_CHILDREN = 128;
/** 32 MiB: above what providers take inline (OpenAI images: 20 MB); read into memory and base64-encoded. */
export const MAX_STEP_FILE_BYTES = 32 * 1024 * 1024;

export const DEFAULT_WORKFLOW_LIMITS: Readonly<WorkflowLimits> = {
  stepInputChars: MAX_STEP_INPUT_CHARS,
  stepOutputChars: MAX_STEP_OUTPUT_CHARS,
  templateExpansions: MAX_TEMPLATE_EXPANSIONS,
  treeJournalChars: MAX_TREE_JOURNAL_CHARS,
  depth: MAX_WORKFLOW_DEPTH,
  childrenPerRoot: MAX_CHILDREN_PER_ROOT,
  liveChildrenPerRoot: MAX_LIVE_CHILDREN_PER_ROOT,
  liveChildren: MAX_LIVE_CHILDREN,
  fileBytes: MAX_STEP_FILE_BYTES,
};
