// One MCP session of the engine (the SDK Client over the stdio transport of mcp-client/) against a real
// Python MCP server, run here as a child process over real pipes in place of the sandbox's docker exec.
import { spawn } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PYTHON_MCP_SERVER } from '../helpers/python-mcp-servers';
import type { AttachedProcess, ProcessHost } from '../../electron/engine/sandbox/tool-host';
import { connectMcpServer, resultText } from '../../electron/engine/mcp-client/session';
import type { StdioMcpServer } from '../../electron/engine/mcp-client/servers';

// A process host on this machine (a real child process over real pipes) standing in for the sandbox's docker exec.
let dir: string;
const host: ProcessHost = {
  async attach(argv, options = {}): Promise<AttachedProcess> {
    const child = spawn(argv[0], argv.slice(1), { cwd: dir, env: { ...process.env, ...options.env }, stdio: 'pipe' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { stdin: child.stdin, stdout: child.stdout, stderr: child.stderr, exited, kill: async () => void child.kill('SIGKILL') };
  },
};
const server: StdioMcpServer = { name: 'py', transport: 'stdio', command: 'python3', args: ['server.py'], env: {}, optional: false, startupTimeoutMs: 10_000, toolTimeoutMs: 10_000 };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-mcp-session-'));
  await writeFile(path.join(dir, 'server.py'), PYTHON_MCP_SERVER);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('an MCP session', () => {
  it('lists the tools and calls them; many calls under one run signal leave no listener on it', async () => {
    const session = await connectMcpServer(server, { host, httpUrl: () => '', token: '', unset: [] });
    expect(session.tools.map((t) => t.name)).toEqual(['echo', 'read', 'crash']);
    const run = new AbortController();
    for (let i = 0; i < 20; i++) expect(resultText(await session.call('echo', { text: String(i) }, run.signal))).toBe(`echo: ${i}`);
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
    await session.close();
  });
});
