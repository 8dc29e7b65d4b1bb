import { parseArgs } from 'node:util';
import type { Command } from '../command';
import { withCloud } from '../cloud-session';

const USAGE = `Usage: jetty logout [--data-dir D]

Removes the saved token (~/.config/jetty/token). Queued pushes stay in the outbox.`;

export const logout: Command = {
  usage: USAGE,
  async run(args) {
    const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' } } });
    return withCloud(values['data-dir'], async (cloud, print) => {
      const status = cloud.signOut();
      print(status.token ? `Token file removed; still signed in through JETTY_CLOUD_TOKEN (${status.token})` : `Signed out of ${status.baseUrl}`);
      return 0;
    });
  },
};
