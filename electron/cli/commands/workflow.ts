import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Trajectory, TrajectoryEvent } from '../../../shared/trajectory';
import { createEngine, type Engine } from '../../engine/api';
import { resolveDataDir } from '../../engine/base/data-dir';
import { InvalidWorkflowError } from '../../engine/workflows';
import type { Command } from '../command';
import { formatEvent } from '../format-event';
import { UsageError } from '../usage-error';
import { jsonValues } from '../param-args';

const USAGE = `Usage: jetty workflow run <file.json|collection/task> [--param k=v]... [--data-dir D] [--json]
       jetty workflow resume [id] [--data-dir D] [--json]

run     runs a workflow document (a JSON file: a workflow, or a task {name, description, workflow})
        or a stored workflow task, printing each step as it goes. --param values override
        init_params (a value that parses as JSON is taken as JSON).
resume  resumes workflows a crashed process left unfinished (or just <id>) from their first
        unfinished step, and waits for them.

Model steps go through the passthrough (OPENAI_API_KEY, OPENAI_BASE_URL, ANTHROPIC_*, …).
Exit codes: 0 completed, 1 failed, 2 bad usage or an invalid workflow, 130 cancelled (Ctrl-C).`;

function parse(args: string[]) {
  try {
    return parseArgs({ args, allowPositionals: true, options: { param: { type: 'string', multiple: true }, 'data-dir': { type: 'string' }, json: { type: 'boolean' } } });
  } catch (err) {
    throw new UsageError(`workflow: ${(err as Error).message}`);
  }
}


/** The document a `run` target names: a JSON file (workflow or task) or a stored `collection/task`. */
async function target(engine: Engine, name: string): Promise<{ collection: string; task: string; document: Record<string, unknown> }> {
  if (name.endsWith('.json')) {
    const text = await readFile(name, 'utf8').catch((err: Error) => {
      throw new UsageError(`workflow: cannot read '${name}': ${err.message}`);
    });
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      throw new UsageError(`workflow: '${name}' is not JSON: ${(err as Error).message}`);
    }
    const isTask = typeof doc.workflow === 'object' && doc.workflow !== null;
    const task = isTask && typeof doc.name === 'string' ? doc.name : name.replace(/^.*[\\/]/, '').replace(/(\.workflow)?\.json$/, '');
    return { collection: 'local', task, document: (isTask ? doc.workflow : doc) as Record<string, unknown> };
  }
  const [collection, task] = name.split('/');
  const stored = collection && task ? engine.services.store.getTask(collection, task) : null;
  if (!stored) throw new UsageError(`workflow: no workflow file or stored task '${name}' (give a .json file or collection/task)`);
  return { collection, task, document: stored.workflow };
}

const exitCode = (t: Trajectory) => (t.status === 'completed' ? 0 : t.status === 'cancelled' ? 130 : 1);

/** Prints a run's events as they are committed, until `done`; Ctrl-C cancels it. */
async function follow(engine: Engine, id: string, done: Promise<Trajectory>, json: boolean): Promise<Trajectory> {
  const store = engine.services.store;
  const startedAt = Date.now();
  let afterSeq = 0;
  const print = (event: TrajectoryEvent) => process.stdout.write(`${json ? JSON.stringify({ trajectory_id: id, ...event }) : formatEvent(event, startedAt)}\n`);
  const drain = () => {
    for (const event of store.listEvents(id, { afterSeq, limit: 1000 })) {
      afterSeq = event.seq;
      print(event);
    }
  };
  const off = store.onChange(({ table, trajectoryId }) => table === 'events' && trajectoryId === id && setImmediate(drain));
  const onSignal = () => engine.workflows.cancel(id);
  process.on('SIGINT', onSignal);
  try {
    const t = await done;
    drain();
    return t;
  } finally {
    off();
    process.off('SIGINT', onSignal);
  }
}

export const workflow: Command = {
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parse(args);
    const [sub, name, ...rest] = positionals;
    if ((sub !== 'run' && sub !== 'resume') || rest.length > 0 || (sub === 'run' && !name)) throw new UsageError(`workflow: ${USAGE}`);
    const json = values.json === true;
    const engine = await createEngine({ dataDir: resolveDataDir(values['data-dir']), scheduleRoutines: false });
    try {
      if (sub === 'resume') {
        const ids = engine.workflows.active().filter((id) => !name || id === name);
        if (name && ids.length === 0) throw new UsageError(`workflow: '${name}' is not an interrupted workflow (finished, unknown, or its process is still running)`);
        let code = 0;
        for (const id of ids) {
          const t = await follow(engine, id, engine.workflows.wait(id)!, json);
          process.stdout.write(json ? `${JSON.stringify({ type: 'result', trajectory: t })}\n` : `Workflow ${id}: ${t.status}${t.error ? ` — ${t.error}` : ''}\n`);
          code = Math.max(code, exitCode(t));
        }
        if (ids.length === 0 && !json) process.stdout.write('No interrupted workflows.\n');
        return code;
      }
      const { collection, task, document } = await target(engine, name);
      let handle;
      try {
        handle = engine.workflows.start({ collection, task, document, init_params: jsonValues(values.param) });
      } catch (err) {
        if (err instanceof InvalidWorkflowError) throw new UsageError(`workflow: ${err.message}`);
        throw err;
      }
      process.stdout.write(json ? `${JSON.stringify({ type: 'trajectory', id: handle.id })}\n` : `Workflow ${handle.id}\n`);
      const t = await follow(engine, handle.id, handle.done, json);
      process.stdout.write(json ? `${JSON.stringify({ type: 'result', trajectory: t })}\n` : `Workflow ${t.id}: ${t.status}${t.error ? ` — ${t.error}` : ''}\n`);
      return exitCode(t);
    } finally {
      await engine.close();
    }
  },
};
