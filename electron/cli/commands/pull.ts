import { parseArgs } from 'node:util';
import type { Command } from '../command';
import { withCloud } from '../cloud-session';
import { UsageError } from '../usage-error';

const USAGE = `Usage: jetty pull <COLLECTION>/<TASK> [--since DATE] [--json] [--data-dir D]

Imports the remote task's trajectories (events, steps, evaluation, labels, artifacts)
into the local store, marked with their origin. Incremental: pulling again stores only
what is new (finished trajectories only get the remote's new labels). Events come in pages
and each artifact is checked against its declared size and sha256; a pull stopped anywhere
(Ctrl-C, a crash, its one-hour deadline) resumes where it stopped when run again.
Exit 0 when everything listed was stored, 1 when some trajectories were not (each is named
with why) or the remote failed.`;

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
      else {
        print(`pulled ${collection}/${task}: ${result.added.length} new, ${result.refreshed.length} refreshed, ${result.unchanged} unchanged, ${result.labelsAdded} label(s) added${result.failed.length ? `, ${result.failed.length} not stored` : ''}`);
        for (const f of result.failed.slice(0, 20)) process.stderr.write(`jetty pull: ${f.remote_id}: ${f.error}\n`);
        if (result.failed.length > 20) process.stderr.write(`jetty pull: … and ${result.failed.length - 20} more not stored (--json lists them all)\n`);
      }
      return result.failed.length > 0 ? 1 : 0;
    });
  },
};
