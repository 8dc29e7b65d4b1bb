import { parseArgs } from 'node:util';
import type { Command } from '../command';
import { describeSubmitted, withCloud } from '../cloud-session';
import { UsageError } from '../usage-error';

const USAGE = `Usage: jetty deploy <RUNBOOK.md|workflow.json> --collection C [--task T] [options]

Deploys a runbook (or workflow) as a task of the remote Jetty, after the secret
preflight: the runbook's declared secrets are compared with the collection's
environment keys. Missing ones are listed; --set-secrets sets them from the local
secret store (values are never printed or logged). The collection is created if needed,
the task created or updated, input files uploaded. Unreachable remote: queued.

Options:
  --task T               task name (default: the runbook's folder name)
  --file PATH            an input file to upload (repeatable)
  --set-secrets          set missing secrets from the local secret store
  --allow-secret ITEM    send ITEM even though the secret audit flags it (e.g. "runbook RUNBOOK.md")
  --json                 the result as JSON`;

export const deploy: Command = {
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        collection: { type: 'string' },
        task: { type: 'string' },
        file: { type: 'string', multiple: true },
        'set-secrets': { type: 'boolean' },
        'allow-secret': { type: 'string', multiple: true },
        json: { type: 'boolean' },
        'data-dir': { type: 'string' },
      },
    });
    if (positionals.length !== 1 || !values.collection) throw new UsageError(USAGE);
    const file = positionals[0];
    const collection = values.collection;
    return withCloud(values['data-dir'], async (cloud, print) => {
      let setSecrets: string[] = [];
      const check = await cloud.preflight(file, collection).catch(() => null);
      if (check && check.missing.length > 0) {
        print(`missing secrets in ${collection}: ${check.missing.join(', ')}`);
        if (!values['set-secrets']) {
          print('set them with --set-secrets (from the local secret store), then deploy again');
          return 1;
        }
        const absent = check.missing.filter((s) => !check.inVault.includes(s));
        if (absent.length > 0) {
          process.stderr.write(`jetty deploy: the local secret store has no value for ${absent.join(', ')}: set them in Settings first\n`);
          return 1;
        }
        setSecrets = check.missing;
      }
      const submitted = await cloud.deploy({ file, collection, task: values.task, files: values.file, setSecrets, allowSecrets: values['allow-secret'] });
      if (values.json) print(JSON.stringify(submitted));
      else if (submitted.status === 'delivered') {
        const r = submitted.result;
        print(`deployed ${r.collection}/${r.task} (${r.taskCreated ? 'task created' : 'task updated'}${r.collectionCreated ? ', collection created' : ''}${r.secretsSet.length ? `, secrets set: ${r.secretsSet.join(', ')}` : ''}${r.uploaded.length ? `, ${r.uploaded.length} file(s) uploaded` : ''})`);
        if (r.links.task) print(r.links.task);
      } else print(describeSubmitted(submitted, ''));
      return 0;
    });
  },
};
