import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command';
import { withCloud } from '../cloud-session';
import { tokenInFile } from '../../engine/cloud/token-file';
import { UsageError } from '../usage-error';

const USAGE = `Usage: jetty login [--url URL] [--data-dir D] < token
       jetty login --import FILE [--url URL] [--data-dir D]

Signs in to a remote Jetty (default https://flows-api.jetty.io, or JETTY_API_URL): the
token is read from standard input (never from the command line, where other users and
the shell history see it), saved in ~/.config/jetty/token (folder 0700, file 0600) and
checked against the remote. Only a redacted form (mlc_ab…yz) is ever printed.

--import FILE takes the token (mlc_…) from a file you name, such as a CLAUDE.md where an
older setup kept it. No file is ever read for a token unless named here.`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

/** The token from the named file, or a usage error saying why not (the file's name only, not its folder). */
function importedToken(file: string): string {
  let token: string | null;
  try {
    token = tokenInFile(file);
  } catch (error) {
    throw new UsageError(`jetty login --import: cannot read ${path.basename(file)} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  if (!token) throw new UsageError(`jetty login --import: ${path.basename(file)} holds no Jetty token (mlc_…)`);
  return token;
}

export const login: Command = {
  usage: USAGE,
  async run(args) {
    const { values } = parseArgs({ args, options: { url: { type: 'string' }, import: { type: 'string' }, 'data-dir': { type: 'string' } } });
    let token: string;
    if (values.import !== undefined) token = importedToken(values.import);
    else {
      if (process.stdin.isTTY) process.stderr.write('Paste the API token, then Ctrl-D: ');
      token = await readStdin();
    }
    if (token.length < 8) throw new UsageError('jetty login: no token on standard input (echo "$TOKEN" | jetty login)');
    return withCloud(values['data-dir'], async (cloud, print) => {
      const status = await cloud.signIn(token, values.url);
      if (values.import !== undefined) print(`Imported the token from ${path.basename(values.import)}`);
      print(`Signed in to ${status.baseUrl} with token ${status.token} (${status.state}${status.message ? `: ${status.message}` : ''})`);
      return status.state === 'online' || status.state === 'offline' ? 0 : 3;
    });
  },
};
