import { parseArgs } from 'node:util';
import { deployLine } from '../../engine/cloud/deploy';
import { RemoteError } from '../../engine/cloud/remote-error';
import type { Command } from '../command';
import { describeSubmitted, withCloud } from '../cloud-session';
import { UsageError } from '../usage-error';

const USAGE = `Usage: jetty deploy <RUNBOOK.md|workflow.json> --collection C [--task T] [options]

Deploys a runbook (its whole folder: RUNBOOK.md, scripts, manifest, assets, as a local run
sees it; .jettyignore honoured) or a workflow as a task of the remote Jetty, after the
secret preflight: the runbook's declared secrets are compared with the collection's
environment keys. Missing ones are listed; --set-secrets sets them from the local
secret store (values are never printed or logged). The collection is created if needed,
the task created or updated, input files uploaded. Everything that leaves is audited for
secrets first. Jetty cloud takes RUNBOOK.md alone: the files beside it are listed as left
out. Unreachable remote: queued in the outbox, its secret preflight run when it is
delivered (with --set-secrets, missing secrets are then set from the secret store).

A nested collection keeps its whole path: --collection gooseworks-ai/composites deploys to
the remote collection gooseworks-ai__composites (segments joined with "__").

Options:
  --task T               task name (default: the runbook's folder name)
  --file PATH            an input file to upload (repeatable)
  --set-secrets          set missing secrets from the local secret store
  --allow-secret ITEM    send ITEM even though the secret audit flags it (e.g. "runbook RUNBOOK.md", "folder gen.py")
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
      const check = await cloud.preflight(file, collection).catch((error: unknown) => {
        // Unreachable: the deploy waits in the outbox and its preflight runs at delivery; anything else is the answer.
        if (error instanceof RemoteError && error.transient) return null;
        throw error;
      });
      if (check && check.missing.length > 0) {
        print(`missing secrets in ${check.collection}: ${check.missing.join(', ')}`);
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
      } else if (!check && values['set-secrets']) {
        // Which secrets the collection lacks is known only at delivery: those the secret store holds may be set then.
        setSecrets = (await cloud.declaredSecrets(file)).inVault;
      }
      const submitted = await cloud.deploy({ file, collection, task: values.task, files: values.file, setSecrets, allowSecrets: values['allow-secret'] });
      if (values.json) print(JSON.stringify(submitted));
      else if (submitted.status === 'delivered') {
        print(deployLine(submitted.result));
        if (submitted.result.folder?.note) print(`note: ${submitted.result.folder.note}: ${submitted.result.folder.leftOut.join(', ')}`);
        if (submitted.result.links.task) print(submitted.result.links.task);
      } else print(`${describeSubmitted(submitted, '')}; its secret check runs then`);
      return 0;
    });
  },
};
