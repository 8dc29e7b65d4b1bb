import { parseArgs } from 'node:util';
import type { Command } from '../command';
import { withCloud } from '../cloud-session';
import { UsageError } from '../usage-error';

const USAGE = `Usage: jetty pull <COLLECTION>/<TASK> [--since DATE] [--json] [--data-dir D]

Imports the remote task's trajectories (events, steps, evaluation, labels, artifacts)
into the local store, marked with their origin. Incremental: pulling again stores only
what is new (finished trajectories only get the remote's new labels).`;

export const pull: Command = {
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { since: { type: 'string' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' } },
    });
    const [collection, task, ...rest] = (positionals[0] ?? '').split('/');
    if (positionals.length !== 1 || !collection || !task || rest.length > 0) throw new UsageError(USAGE);
    return withCloud(values['data-dir'], async (cloud, print) => {
      const result = await cloud.pull({ collection, task, since: values.since });
      if (values.json) print(JSON.stringify(result));
      else print(`pulled ${collection}/${task}: ${result.added.length} new, ${result.refreshed.length} refreshed, ${result.unchanged} unchanged, ${result.labelsAdded} label(s) added`);
      return 0;
    });
  },
};
