// A small MCP server for the tests, written with the SDK's McpServer: its tools say what the
// server sees (its environment, its working directory) so a test can check what a run gave it.
import { readdirSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

export function probeServer(): McpServer {
  const server = new McpServer({ name: 'probe', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echoes its text back.', inputSchema: { text: z.string() } }, async ({ text }) => ({ content: [{ type: 'text', text: `echo: ${text}` }] }));
  server.registerTool(
    'env',
    { description: 'Which of the named environment variables are set, and to what (for the tests).', inputSchema: { names: z.array(z.string()) } },
    async ({ names }) => ({ content: [{ type: 'text', text: JSON.stringify(Object.fromEntries(names.map((n) => [n, process.env[n] ?? null]))) }] }),
  );
  server.registerTool('where', { description: 'Its working directory and what is in it.', inputSchema: {} }, async () => ({
    content: [{ type: 'text', text: `${process.cwd()}: ${readdirSync('.').sort().join(' ')}` }],
  }));
  server.registerTool('fail', { description: 'Always fails.', inputSchema: {} }, async () => ({ content: [{ type: 'text', text: 'it failed, as asked' }], isError: true }));
  return server;
}
