import { parseArgs } from 'node:util';
import { evaluationLine } from '../../../shared/evaluation';
import type { Trajectory } from '../../../shared/trajectory';
import type { Command } from '../command';
import { describeSubmitted, withCloud } from '../cloud-session';
import { runExitCode } from '../run-exit';
import { UsageError } from '../usage-error';

const USAGE = `Usage: jetty run --remote <RUNBOOK.md|workflow.json> --collection C [--task T] [options]

Runs on the remote Jetty (runbook mode of /v1/chat/completions, or /run for a workflow
task) and follows the run live into the local store (replay it like a local run).
Trial keys are used when the collection's trial is active and it has no provider keys.

Options:
  --param k=v            a parameter (repeatable)
  --file PATH            an input file, uploaded first (repeatable)
  --agent NAME           claude-code (default), codex, gemini-cli (or builtin on a jetty serve)
  --model M              model name
  --allow-secret ITEM    send ITEM even though the secret audit flags it
  --data-dir D           data folder

Exit codes: 0 completed (its evaluation passed, or it has none), 1 failed (or queued: the remote
is unreachable), 2 bad usage, 3 signed out or the token refused, 4 completed but its evaluation
failed (as for a local run).`;

export const runRemote: Command = {
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        remote: { type: 'boolean' },
        collection: { type: 'string' },
        task: { type: 'string' },
        param: { type: 'string', multiple: true },
        file: { type: 'string', multiple: true },
        agent: { type: 'string' },
        model: { type: 'string' },
        'allow-secret': { type: 'string', multiple: true },
        'data-dir': { type: 'string' },
      },
    });
    if (positionals.length !== 1 || !values.collection) throw new UsageError(USAGE);
    const params: Record<string, string> = {};
    for (const item of values.param ?? []) {
      const at = item.indexOf('=');
      if (at <= 0) throw new UsageError(`--param expects name=value, got '${item}'`);
      params[item.slice(0, at)] = item.slice(at + 1);
    }
    const file = positionals[0];
    const collection = values.collection;
    return withCloud(
      values['data-dir'],
      async (cloud, print) => {
        const submitted = await cloud.run({ file, collection, task: values.task, params, files: values.file, agent: values.agent, model: values.model, allowSecrets: values['allow-secret'] });
        if (submitted.status !== 'delivered') {
          print(describeSubmitted(submitted, ''));
          return 1;
        }
        const started = submitted.result;
        print(`Trajectory ${started.localId} (remote ${started.remoteId})`);
        for (const line of started.trial) print(line);
        if (started.link) print(started.link);
        const t = (await started.done) as Trajectory;
        print(`Trajectory ${t.id}: ${t.status} — evaluation: ${evaluationLine(t.evaluation)}`);
        return runExitCode(t);
      },
      { printEvents: true },
    );
  },
};
