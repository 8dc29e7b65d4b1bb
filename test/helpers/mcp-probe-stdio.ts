// The probe MCP server over stdio: the entry point bundled into one file (mcp-probe.ts)
// that a runbook's folder ships and the sandbox runs with node.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { probeServer } from './mcp-probe-tools';

process.stderr.write('probe: serving on stdio\n');
await probeServer().connect(new StdioServerTransport());
