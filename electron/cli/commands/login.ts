import { parseArgs } from 'node:util';
import type { Command } from '../command';
import { withCloud } from '../cloud-session';
import { UsageError } from '../usage-error';

const USAGE = `Usage: jetty login [--url URL] [--data-dir D] < token

Signs in to a remote Jetty (default https://flows-api.jetty.io, or JETTY_API_URL): the
token is read from standard input (never from the command line, where other users and
the shell history see it), saved in ~/.config/jetty/token (folder 0700, file 0600) and
checked against the remote. Only a redacted form (mlc_ab…yz) is ever printed.`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

export const login: Command = {
  usage: USAGE,
  async run(args) {
    const { values } = parseArgs({ args, options: { url: { type: 'string' }, 'data-dir': { type: 'string' } } });
    if (process.stdin.isTTY) process.stderr.write('Paste the API token, then Ctrl-D: ');
    const token = await readStdin();
    if (token.length < 8) throw new UsageError('jetty login: no token on standard input (echo "$TOKEN" | jetty login)');
    return withCloud(values['data-dir'], async (cloud, print) => {
      const status = await cloud.signIn(token, values.url);
      print(`Signed in to ${status.baseUrl} with token ${status.token} (${status.state}${status.message ? `: ${status.message}` : ''})`);
      return status.state === 'online' || status.state === 'offline' ? 0 : 3;
    });
  },
};
