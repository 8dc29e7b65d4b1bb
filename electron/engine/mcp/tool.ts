import type { z } from 'zod';
import type { Client } from '../../../shared/rpc';
import type { RestDispatch } from './rest-dispatch';

/** What the tools reach: the local REST API (public catalog) and the engine's contract (local tools). */
export interface McpBackend {
  /** REST calls to this engine's own `/api/v1` (the routes the UI and remote clients use). */
  rest: RestDispatch;
  /** The contract's methods, each input validated as every transport's is (`shared/rpc.ts` dispatch), and its events. */
  client: Client;
  /** The server process's environment: where `run-runbook`'s named secrets are read. */
  env: NodeJS.ProcessEnv;
}

/** MCP tool annotations, as Jetty's public server sets them. */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
}

/** Reads only; the same call again gives the same answer. */
export const READ: ToolAnnotations = { readOnlyHint: true, idempotentHint: true };
/** Changes something, additively. */
export const WRITE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false };
/** Removes something. */
export const DESTRUCTIVE: ToolAnnotations = { readOnlyHint: false, destructiveHint: true };

/** What a tool call gets besides its arguments. */
export interface ToolContext {
  backend: McpBackend;
  /** Aborted when the client cancels the call or goes away. */
  signal: AbortSignal;
  /** Sends an MCP progress notification when the client asked for progress (a progressToken); else nothing. */
  progress(message: string): Promise<void>;
}

export interface JettyTool<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  inputSchema: S;
  annotations: ToolAnnotations;
  /** The tool's answer (sent as pretty JSON); a throw becomes an `isError` result with its message. */
  run(args: z.infer<z.ZodObject<S>>, ctx: ToolContext): Promise<unknown>;
}

/** A tool with its argument types checked against its schema, stored in a list of any shape. */
export const defineTool = <S extends z.ZodRawShape>(tool: JettyTool<S>): JettyTool => tool as unknown as JettyTool;
