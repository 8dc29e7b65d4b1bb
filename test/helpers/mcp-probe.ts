/**
 * The probe MCP server of the tests (mcp-probe-tools.ts, the SDK's McpServer):
 * bundled into one `.mjs` for a runbook's folder, run with node in the sandbox over stdio;
 * or served on the host over Streamable HTTP (stateless, SSE answers), recording the headers
 * of each request it gets and refusing any without the key it was given. Sandbox images
 * with node for it: the test base image, and each agent CLI's test image, with Node added.
 */
import { copyFile, mkdtemp } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { build } from 'esbuild';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { probeServer } from './mcp-probe-tools';
import { ensureNpmLayeredImage } from './cli-image';
import { TEST_BASE_IMAGE } from './docker';
import { NODE_VERSION } from './gemini-image';

const ENTRY = path.resolve(import.meta.dirname, 'mcp-probe-stdio.ts');
let bundled: Promise<string> | null = null;

/** Copies the bundled probe server (one file, no node_modules needed) to `dest`. */
export async function writeProbeServer(dest: string): Promise<void> {
  bundled ??= (async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'jetty-mcp-probe-')), 'probe.mjs');
    await build({ entryPoints: [ENTRY], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: out, logLevel: 'silent', banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } });
    return out;
  })();
  await copyFile(await bundled, dest);
}

/** `image` with Node (the official build from npm) at /usr/local/bin/node: `<repository>-node:<tag>`. */
export function ensureWithNode(docker: Docker, image: string): Promise<string> {
  const [repository, tag = 'latest'] = image.split(/:(?=[^/]*$)/);
  return ensureNpmLayeredImage(docker, {
    tag: `${repository}-node:${tag}`,
    from: image,
    packages: [`node-linux-${os.arch()}@${NODE_VERSION}`],
    executables: [`node_modules/node-linux-${os.arch()}/bin/node`],
    instructions: [`COPY node_modules/node-linux-${os.arch()}/bin/node /usr/local/bin/node`, 'RUN node --version'],
  });
}

/** The test base image with Node. */
export const ensureBaseWithNode = (docker: Docker) => ensureWithNode(docker, TEST_BASE_IMAGE);

export interface ProbeHttpServer {
  /** Its MCP endpoint, `http://127.0.0.1:<port>/mcp`. */
  url: string;
  /** Each request's method and headers, in order. */
  requests: { method: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** The probe over Streamable HTTP on loopback; `requireHeader` = [name, value] it insists on (401 otherwise). */
export async function startProbeHttpServer(requireHeader: [string, string]): Promise<ProbeHttpServer> {
  const requests: ProbeHttpServer['requests'] = [];
  const http = createServer((req, res) => {
    requests.push({ method: req.method ?? '', headers: req.headers });
    if (req.headers[requireHeader[0].toLowerCase()] !== requireHeader[1]) {
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer resource_metadata="http://127.0.0.1/.well-known/oauth-protected-resource"' }).end('{"error":"missing or wrong key"}');
      return;
    }
    // Stateless: one server and transport per request, as the SDK's stateless example does.
    const server = probeServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close());
    void server.connect(transport).then(() => transport.handleRequest(req, res));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
