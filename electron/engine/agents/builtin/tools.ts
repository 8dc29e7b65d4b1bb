/**
 * The built-in agent's tools: bash, read_file, write_file, list_files and finish. Each
 * declares its arguments once with zod (sent to the model as JSON schema, checked on the
 * way back). Bad JSON, bad arguments, unknown tools and failing tools all become a tool
 * error message for the model; nothing here throws.
 */
import { z } from 'zod';
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { truncateMiddle } from '../event-output';
import { replacementDiff, type FileChange } from '../file-change';
import type { ToolHost } from '../../sandbox/tool-host';
import type { AssembledToolCall } from './stream-assembler';

export interface ToolContext {
  host: ToolHost;
  env?: Record<string, string>;
  signal: AbortSignal;
  commandTimeoutMs: number;
  /** Longest tool output the model sees; longer output keeps its head and tail. */
  outputLimitChars: number;
  onOutput(stream: 'stdout' | 'stderr', text: string): void;
}

export interface ToolOutcome {
  ok: boolean;
  output: string;
  /** Set by `finish`: the run ends after this turn. */
  finishSummary?: string;
  /** What a file-writing call changed (a `file_change` event). */
  fileChange?: FileChange;
}

/** A file written over is diffed against its old text up to this size (a larger one is reported without a diff). */
const MAX_DIFF_BYTES = 256 * 1024;

/** The text a write replaces: '' for a new file, null when it cannot be diffed (too large, not a file). */
async function previousText(host: ToolHost, path: string): Promise<string | null> {
  try {
    return await host.readFile(path, { maxBytes: MAX_DIFF_BYTES });
  } catch (error) {
    return /no such file/i.test(error instanceof Error ? error.message : '') ? '' : null;
  }
}

interface Tool {
  definition: ChatCompletionTool;
  invoke(args: unknown, ctx: ToolContext): Promise<ToolOutcome>;
}

function defineTool<S extends z.ZodType>(
  name: string,
  description: string,
  schema: S,
  run: (args: z.infer<S>, ctx: ToolContext) => Promise<ToolOutcome>,
): [string, Tool] {
  const { $schema: _ignored, ...parameters } = z.toJSONSchema(schema) as Record<string, unknown>;
  return [
    name,
    {
      definition: { type: 'function', function: { name, description, parameters } },
      async invoke(args, ctx) {
        const parsed = schema.safeParse(args);
        if (!parsed.success) return { ok: false, output: `Invalid arguments for ${name}:\n${z.prettifyError(parsed.error)}` };
        return run(parsed.data, ctx);
      },
    },
  ];
}

const sandboxPath = z.string().min(1).describe('Absolute path in the sandbox, e.g. /app/results/summary.md');

const TOOLS = new Map<string, Tool>([
  defineTool(
    'bash',
    'Run a bash command in the sandbox (working directory /app). Returns stdout, stderr and the exit code.',
    z.object({
      command: z.string().min(1).describe('The bash command to run'),
      timeout_seconds: z.number().int().positive().max(7200).optional().describe('Kill the command after this many seconds'),
    }),
    async ({ command, timeout_seconds }, ctx) => {
      const result = await ctx.host.exec(command, {
        env: ctx.env,
        signal: ctx.signal,
        timeoutMs: timeout_seconds ? timeout_seconds * 1000 : ctx.commandTimeoutMs,
        onStdout: (text) => ctx.onOutput('stdout', text),
        onStderr: (text) => ctx.onOutput('stderr', text),
      });
      const line = (s: string) => (s === '' || s.endsWith('\n') ? s : `${s}\n`);
      const stderr = result.stderr ? `[stderr]\n${line(result.stderr)}` : '';
      const status = result.timedOut ? `[timed out; exit code ${result.exitCode}]` : `[exit code ${result.exitCode}]`;
      const output = truncateMiddle(line(result.stdout) + stderr + status, ctx.outputLimitChars);
      return { ok: result.exitCode === 0 && !result.timedOut, output };
    },
  ),
  defineTool(
    'read_file',
    'Read a text file from the sandbox.',
    z.object({ path: sandboxPath, max_bytes: z.number().int().positive().optional().describe('Read at most this many bytes') }),
    async ({ path, max_bytes }, ctx) => ({
      ok: true,
      output: truncateMiddle(await ctx.host.readFile(path, { maxBytes: max_bytes }), ctx.outputLimitChars),
    }),
  ),
  defineTool(
    'write_file',
    'Write a text file in the sandbox, replacing it if it exists.',
    z.object({ path: sandboxPath, content: z.string().describe('The whole file content') }),
    async ({ path, content }, ctx) => {
      const before = await previousText(ctx.host, path);
      await ctx.host.writeFile(path, content);
      const kind = before === '' ? 'add' : 'update';
      const fileChange: FileChange = { path, kind, ...(before !== null && before !== content && { diff: replacementDiff(path, [{ before, after: content }]) }) };
      return { ok: true, output: `wrote ${Buffer.byteLength(content)} bytes to ${path}`, fileChange };
    },
  ),
  defineTool(
    'list_files',
    'List the files and folders under a folder of the sandbox.',
    z.object({ path: sandboxPath }),
    async ({ path }, ctx) => {
      const entries = await ctx.host.listFiles(path);
      const lines = entries.map((e) => (e.type === 'dir' ? `${e.path}/` : `${e.path}  (${e.size} bytes)`));
      return { ok: true, output: truncateMiddle(lines.join('\n') || '(empty)', ctx.outputLimitChars) };
    },
  ),
  defineTool(
    'finish',
    'End the run once the runbook is done (or cannot be done), with a short summary of the outcome.',
    z.object({ summary: z.string().min(1).describe('What was done and where the results are') }),
    async ({ summary }) => ({ ok: true, output: 'Run finished.', finishSummary: summary }),
  ),
]);

export const TOOL_DEFINITIONS: ChatCompletionTool[] = [...TOOLS.values()].map((t) => t.definition);

/** Arguments as the model sent them: parsed when they are JSON, else the raw text. */
export function parseArguments(raw: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: raw.trim() === '' ? {} : JSON.parse(raw) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

export async function executeToolCall(call: AssembledToolCall, ctx: ToolContext): Promise<ToolOutcome> {
  const tool = TOOLS.get(call.name);
  if (!tool) return { ok: false, output: `Unknown tool '${call.name}'. Available tools: ${[...TOOLS.keys()].join(', ')}.` };
  const args = parseArguments(call.arguments);
  if (!args.ok) {
    return { ok: false, output: `The arguments for ${call.name} are not valid JSON (${args.error}). Send one JSON object matching the tool's schema.` };
  }
  try {
    return await tool.invoke(args.value, ctx);
  } catch (err) {
    return { ok: false, output: `${call.name} failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}
