import { parseArgs } from 'node:util';
import type { Command } from '../command';
import { withCloud } from '../cloud-session';

const USAGE = `Usage: jetty whoami [--json] [--data-dir D]

The remote Jetty, the token (redacted) and where it came from, and whether the remote
accepts it. Exit 0 online, 1 offline, 3 signed out or token refused.`;

export const whoami: Command = {
  usage: USAGE,
  async run(args) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, 'data-dir': { type: 'string' } } });
    return withCloud(values['data-dir'], async (cloud, print) => {
      const status = cloud.status().state === 'signed_out' ? cloud.status() : await cloud.check();
      if (values.json) print(JSON.stringify(status));
      else if (status.state === 'signed_out') print(`Signed out of ${status.baseUrl}: run jetty login`);
      else print(`${status.baseUrl}: token ${status.token} (from ${status.tokenSource}) — ${status.state}${status.message ? `: ${status.message}` : ''}`);
      return status.state === 'online' ? 0 : status.state === 'offline' ? 1 : 3;
    });
  },
};
