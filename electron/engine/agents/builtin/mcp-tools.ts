/**
 * The built-in agent's MCP tools: every tool of the run's MCP servers (listed when the run
 * connected them), offered to the model as a function named `mcp__<server>__<tool>` with
 * the tool's own description and input schema, and called through that server's session.
 * A tool's failure (`isError`, a protocol error, its timeout) is a failed tool result for
 * the model, as the agent's own tools' are; nothing here throws.
 */
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import type { McpSession } from '../../mcp-client/session';
import { resultText } from '../../mcp-client/session';
import { functionNames } from '../../mcp-client/tool-names';
import { truncateMiddle } from '../event-output';
import { parseArguments, type ToolOutcome } from './tools';

/** One MCP tool as the model calls it. */
export interface McpTool {
  session: McpSession;
  server: string;
  tool: string;
}

export interface McpToolSet {
  definitions: ChatCompletionTool[];
  /** The MCP tool a function name stands for, if it is one. */
  find(name: string): McpTool | undefined;
}

export function mcpToolSet(sessions: readonly McpSession[]): McpToolSet {
  const entries = sessions.flatMap((session) => session.tools.map((t) => ({ session, server: session.server.name, tool: t.name, spec: t })));
  const byName = functionNames(entries);
  const definitions: ChatCompletionTool[] = [...byName].map(([name, { server, spec }]) => ({
    type: 'function',
    function: {
      name,
      description: `${spec.description ?? spec.title ?? spec.name} (tool '${spec.name}' of the MCP server '${server}')`,
      parameters: spec.inputSchema as Record<string, unknown>,
    },
  }));
  return {
    definitions,
    find: (name) => {
      const entry = byName.get(name);
      return entry && { session: entry.session, server: entry.server, tool: entry.tool };
    },
  };
}

/** Calls an MCP tool with the model's arguments: its result as text, `ok` false when it failed. */
export async function callMcpTool(target: McpTool, rawArguments: string, ctx: { signal: AbortSignal; outputLimitChars: number }): Promise<ToolOutcome> {
  const args = parseArguments(rawArguments);
  if (!args.ok) return { ok: false, output: `The arguments are not valid JSON (${args.error}). Send one JSON object matching the tool's schema.` };
  try {
    const result = await target.session.call(target.tool, args.value, ctx.signal);
    return { ok: result.isError !== true, output: truncateMiddle(resultText(result), ctx.outputLimitChars) };
  } catch (error) {
    return { ok: false, output: `${target.tool} (MCP server '${target.server}') failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
