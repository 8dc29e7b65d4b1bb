import { z } from 'zod';

/** One thing a run uses: its value (null when none can be used), the runbook's own choice, where the value came from and why it differs. */
export const RunPlanChoiceSchema = z.object({
  value: z.string().nullable(),
  runbook: z.string().nullable(),
  source: z.string(),
  reason: z.string().nullable(),
});
export type RunPlanChoice = z.infer<typeof RunPlanChoiceSchema>;

/** An MCP server a run will give its agent: where it runs or what it reaches (no header values), and where it was declared. */
export const RunPlanMcpServerSchema = z.object({
  name: z.string(),
  transport: z.enum(['stdio', 'http']),
  /** The stdio command line, or the HTTP server's URL (its headers stay on this machine). */
  target: z.string(),
  optional: z.boolean(),
  source: z.enum(['runbook', 'collection']),
});
export type RunPlanMcpServer = z.infer<typeof RunPlanMcpServerSchema>;

/** What a run of a runbook will actually use (one engine function resolves it for `run.plan` and the run itself). */
export const RunPlanSchema = z.object({
  agent: RunPlanChoiceSchema,
  model: RunPlanChoiceSchema,
  endpoint: RunPlanChoiceSchema,
  image: RunPlanChoiceSchema,
  /** The MCP servers its agent gets (the runbook's and its collection's). */
  mcpServers: z.array(RunPlanMcpServerSchema),
  /** Each substitution, as the run records it in the trajectory (a warning event each). */
  warnings: z.array(z.string()),
  /** Why the run cannot start as it stands. */
  problems: z.array(z.string()),
  /** Lint errors: a run then needs `runAnyway`. */
  lintErrors: z.number().int(),
});
export type RunPlan = z.infer<typeof RunPlanSchema>;
