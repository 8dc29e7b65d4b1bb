import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { RemotePlan } from '../../../shared/cloud';
import { ImageNameSchema } from '../../../shared/images';
import { evaluationLine } from '../../../shared/evaluation';
import type { Trajectory } from '../../../shared/trajectory';
import type { Command } from '../command';
import { describeSubmitted, withCloud } from '../cloud-session';
import { runExitCode } from '../run-exit';
import { UsageError } from '../usage-error';
import { keyValues } from '../param-args';

const USAGE = `Usage: jetty run --remote <RUNBOOK.md|workflow.json> --collection C [--task T] [options]

Runs on the remote Jetty (runbook mode of /v1/chat/completions, or /run for a workflow
task) and follows the run live into the local store (replay it like a local run). The run
is the one a local run would be: this data folder's run plan decides the agent, model and
image (the runbook's, else Settings', else the options below), and the runbook's whole
folder goes with it where the remote takes folders (a jetty serve does; Jetty cloud takes
RUNBOOK.md alone). The plan is printed first; what the remote cannot honour is said before
the run starts, and an agent it does not offer, or a required file not given, refuses it.
Trial keys are used when the collection's trial is active and it has no provider keys.

Options:
  --param k=v            a parameter (repeatable)
  --file PATH            an input file, uploaded first; the run sees /app/assets/<name> (repeatable)
  --file NAME=PATH       the same, and the file parameter NAME names it
  --agent NAME           the agent (default: the plan's: Settings → Default agent, else the runbook's)
  --model M              the model (default: the plan's)
  --image IMAGE          the sandbox image, on a remote that takes one (default: the plan's)
  --allow-secret ITEM    send ITEM even though the secret audit flags it
  --data-dir D           data folder

A nested collection's path (--collection owner/sub) is the remote collection owner__sub.

Exit codes: 0 completed (its evaluation passed, or it has none), 1 failed, refused by its plan
(or queued: the remote is unreachable), 2 bad usage, 3 signed out or the token refused, 4
completed but its evaluation failed (as for a local run).`;

const kib = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`);

/** The plan as printed before the run: what runs where, and what the remote does differently. */
export function planLines(plan: RemotePlan): string[] {
  const choice = (label: string, c: RemotePlan['agent']) => `${label} ${c.value ?? 'none'} (${c.source}${c.value !== null && c.runbook !== null && c.value !== c.runbook ? `; the runbook names ${c.runbook}` : ''})`;
  const folder = plan.folder.sent === null ? 'checked at delivery' : plan.folder.sent ? 'goes with the run' : 'stays here';
  return [
    `Remote run on ${plan.remote.baseUrl}: ${choice('agent', plan.agent)}, ${choice('model', plan.model)}, ${choice('image', plan.image)}`,
    `  folder: ${plan.folder.files} file(s), ${kib(plan.folder.bytes)}, ${folder}`,
    ...plan.files.map((f) => `  file: ${f} → /app/assets/${f}`),
    ...plan.warnings.map((w) => `  warning: ${w}`),
  ];
}

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
        image: { type: 'string' },
        'allow-secret': { type: 'string', multiple: true },
        'data-dir': { type: 'string' },
      },
    });
    if (positionals.length !== 1 || !values.collection) throw new UsageError(USAGE);
    const params = keyValues(values.param);
    // --file NAME=PATH: the file, and the file parameter NAME naming it as the sandbox sees it.
    const files: string[] = [];
    for (const item of values.file ?? []) {
      const bound = /^([A-Za-z_][\w-]*)=(.+)$/.exec(item);
      if (!bound || existsSync(item)) {
        files.push(item);
        continue;
      }
      files.push(bound[2]);
      const seen = `/app/assets/${path.basename(bound[2])}`;
      params[bound[1]] = params[bound[1]] ? `${params[bound[1]]}, ${seen}` : seen;
    }
    if (values.image !== undefined && !ImageNameSchema.safeParse(values.image).success) throw new UsageError(`--image: not an image name: '${values.image}'`);
    const file = positionals[0];
    const order = { file, collection: values.collection, task: values.task, params, files, agent: values.agent, model: values.model, image: values.image, door: 'cli' as const };
    return withCloud(
      values['data-dir'],
      async (cloud, print) => {
        if (!file.endsWith('.json')) {
          const plan = await cloud.runPlan(order);
          for (const line of planLines(plan)) print(line);
          if (plan.problems.length > 0) {
            process.stderr.write(`jetty run --remote: the run cannot start:\n${plan.problems.map((p) => `  - ${p}`).join('\n')}\n`);
            return 1;
          }
        }
        const submitted = await cloud.run({ ...order, allowSecrets: values['allow-secret'] });
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
