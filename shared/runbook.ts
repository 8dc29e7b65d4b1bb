import { z } from 'zod';

/** A 1-based range in a runbook file (columns count UTF-16 code units, like Monaco). */
export const RangeSchema = z.object({
  line: z.number().int(),
  column: z.number().int(),
  endLine: z.number().int(),
  endColumn: z.number().int(),
});
export type Range = z.infer<typeof RangeSchema>;

export const SeveritySchema = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof SeveritySchema>;

/** A mechanical fix of a diagnostic: text edits of the runbook (an editor's quick fix). */
export const QuickFixSchema = z.object({
  title: z.string(),
  edits: z.array(z.object({ range: RangeSchema, text: z.string() })),
});
export type QuickFix = z.infer<typeof QuickFixSchema>;

export const DiagnosticSchema = z.object({
  severity: SeveritySchema,
  /** Stable code, e.g. RB001. */
  code: z.string(),
  message: z.string(),
  range: RangeSchema,
  hint: z.string().optional(),
  fix: QuickFixSchema.optional(),
});
export type Diagnostic = z.infer<typeof DiagnosticSchema>;

export const ParameterTypeSchema = z.enum(['text', 'number', 'select', 'file', 'password', 'boolean']);
export type ParameterType = z.infer<typeof ParameterTypeSchema>;

export const ParameterSchema = z.object({
  /** Template variable name, as used in `{{name}}`. */
  name: z.string(),
  /** Human label from the Parameters table or manifest. */
  label: z.string(),
  default: z.string().nullable(),
  required: z.boolean(),
  type: ParameterTypeSchema,
  description: z.string().optional(),
  options: z.array(z.string()).optional(),
  accept: z.string().optional(),
  multiple: z.boolean().optional(),
});
export type Parameter = z.infer<typeof ParameterSchema>;

export const SecretSchema = z.object({
  name: z.string(),
  env: z.string().nullable(),
  required: z.boolean(),
  description: z.string().nullable(),
});
export type Secret = z.infer<typeof SecretSchema>;

export const HeadingSchema = z.object({
  level: z.number().int(),
  text: z.string(),
  /** 1-based first line of the heading and last line of its section. */
  line: z.number().int(),
  endLine: z.number().int(),
  children: z.array(z.lazy((): z.ZodType<Heading> => HeadingSchema)),
});
export type Heading = { level: number; text: string; line: number; endLine: number; children: Heading[] };

export const RunSettingsSchema = z.object({
  agent: z.string(),
  model: z.string(),
  snapshot: z.string(),
  image: z.string().nullable(),
});
export type RunSettings = z.infer<typeof RunSettingsSchema>;

/** One of manifest.json's example inputs: parameter values and files (relative to the runbook folder). */
export const ExampleInputSchema = z.object({
  id: z.string(),
  title: z.string(),
  values: z.record(z.string(), z.string()),
  /** Each file with the input key it came under (`file`, `template`, …). */
  files: z.array(z.object({ key: z.string(), path: z.string() })),
});
export type ExampleInput = z.infer<typeof ExampleInputSchema>;

/**
 * An MCP server a run gives its agent, as declared (the runbook's `mcp_servers:`, or its
 * collection's `collection.json`): values still hold their `{{secrets.X}}` references.
 * `stdio` servers start inside the sandbox, in the run's working directory; `http` ones
 * (Streamable HTTP) are reached through the run's gateway, which adds their headers.
 */
export const McpServerDeclarationSchema = z.object({
  name: z.string(),
  transport: z.enum(['stdio', 'http']),
  command: z.string().optional(),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  url: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** A server that fails to start is reported and skipped instead of failing the run. */
  optional: z.boolean(),
  /** How long it may take to answer `initialize` and `tools/list`. */
  startup_timeout_seconds: z.number().optional(),
  /** How long one tool call may take. */
  tool_timeout_seconds: z.number().optional(),
  /** Where it was declared: the runbook's frontmatter, or its collection's `collection.json`. */
  source: z.enum(['runbook', 'collection']),
});
export type McpServerDeclaration = z.infer<typeof McpServerDeclarationSchema>;

/** What the runbook engine knows about one RUNBOOK.md (the shape of `jetty lint --json`). */
export const RunbookAnalysisSchema = z.object({
  path: z.string(),
  frontmatter: z.record(z.string(), z.unknown()),
  parameters: z.array(ParameterSchema),
  secrets: z.array(SecretSchema),
  variables: z.array(z.string()),
  diagnostics: z.array(DiagnosticSchema),
  /** Frontmatter `title`/`name`, else manifest.json's title, else the first `#` heading. */
  title: z.string().nullable(),
  headings: z.array(HeadingSchema),
  /** Agent, model and sandbox the run will use (frontmatter, inference, defaults). */
  settings: RunSettingsSchema,
  /** manifest.json's example inputs, offered as one-click choices in the run panel. */
  examples: z.array(ExampleInputSchema).optional(),
  /** The MCP servers its runs get (its own and its collection's; the runbook's win by name); absent when none. */
  mcpServers: z.array(McpServerDeclarationSchema).optional(),
  /** Declared secrets that only MCP servers use: they stay out of the sandbox's environment. */
  mcpOnlySecrets: z.array(z.string()).optional(),
});
export type RunbookAnalysis = z.infer<typeof RunbookAnalysisSchema>;

/** A runbook found in an opened folder, grouped by collection. */
export const RunbookEntrySchema = z.object({
  path: z.string(),
  /** A `RUNBOOK.md`, or a `*.workflow.json` in a collection folder (absent: a runbook). */
  kind: z.enum(['runbook', 'workflow']).optional(),
  collection: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  errors: z.number().int(),
  warnings: z.number().int(),
  infos: z.number().int(),
});
export type RunbookEntry = z.infer<typeof RunbookEntrySchema>;
