import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { evaluationBrief, evaluationLine, type EvaluationVerdict, type TrajectorySort } from '../../../shared/evaluation';
import type { Trajectory } from '../../../shared/trajectory';
import { StoreError } from '../../engine/store';
import { importableDocument } from '../../engine/trajectories/cloud-summary';
import { exportChunks } from '../../engine/trajectories/export-stream';
import { exportToAtif } from '../../engine/trajectories/atif-export';
import { atifFilesAt, importAtifFile, readJsonFile, writeAtifFolder } from '../../engine/trajectories/atif-files';
import { isAtifDocument } from '../../engine/trajectories/atif-schema';
import { importInPieces } from '../../engine/trajectories/import-in-pieces';
import { resolveDataDir } from '../../engine/base/data-dir';
import type { Command } from '../command';
import { withStore } from '../open-store';
import { UsageError } from '../usage-error';

const DATA_DIR = { 'data-dir': { type: 'string' } } as const;
const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

function duration(t: Trajectory): string {
  if (!t.started_at || !t.ended_at) return '';
  return `${((Date.parse(t.ended_at) - Date.parse(t.started_at)) / 1000).toFixed(1)}s`;
}


/** Rows as aligned columns. */
function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

export const trajectories: Command = {
  usage: `Usage: jetty trajectories [--collection C] [--task T] [--status S] [--evaluation passed|failed|none]
                         [--sort newest|failed_first|passed_first] [--label K[=V]] [--search Q]
                         [--limit N] [--page P] [--data-dir D] [--json]

The STATUS column says how the run ended; EVALUATION says whether its outputs passed:
"passed 3/3", "failed: 2 fail, 1 missing output" (its validation_report.json failed, or a
required output file is missing), "no evaluation" (no report). --evaluation keeps one
verdict, whatever the status; --sort failed_first lists failed, then unevaluated, then passed
runs (newest first within each).`,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        ...DATA_DIR,
        collection: { type: 'string' },
        task: { type: 'string' },
        status: { type: 'string' },
        evaluation: { type: 'string' },
        sort: { type: 'string' },
        label: { type: 'string' },
        search: { type: 'string' },
        limit: { type: 'string' },
        page: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    return withStore(values['data-dir'], (store) => {
      let page;
      try {
        page = store.listTrajectories({
          collection: values.collection,
          task: values.task,
          status: values.status as Trajectory['status'] | undefined,
          evaluation: values.evaluation as EvaluationVerdict | undefined,
          sort: values.sort as TrajectorySort | undefined,
          label: values.label,
          search: values.search,
          limit: values.limit === undefined ? 20 : Number(values.limit),
          page: values.page === undefined ? 1 : Number(values.page),
        });
      } catch (err) {
        if (err instanceof StoreError) throw new UsageError(err.message);
        throw err;
      }
      if (values.json) {
        out(JSON.stringify(page, null, 2));
        return 0;
      }
      if (page.total === 0) {
        const filtered = [values.collection, values.task, values.status, values.evaluation, values.label, values.search].some((v) => v !== undefined);
        out(filtered ? 'No trajectory matches these filters.' : 'No trajectories yet. Start one with: jetty run <RUNBOOK.md>');
        return 0;
      }
      const rows = [['ID', 'STATUS', 'EVALUATION', 'COLLECTION/TASK', 'AGENT', 'MODEL', 'CREATED', 'TIME']];
      for (const t of page.trajectories) {
        rows.push([t.id, t.status, evaluationBrief(t.evaluation), `${t.collection}/${t.task}`, t.agent ?? '', t.model ?? '', t.created_at.slice(0, 19).replace('T', ' '), duration(t)]);
      }
      out(table(rows));
      out(`page ${page.page} of ${Math.max(1, Math.ceil(page.total / page.limit))} — ${page.total} trajectories${page.has_more ? ' (more: --page N)' : ''}`);
      return 0;
    });
  },
};

export const trajectory: Command = {
  usage: `Usage: jetty trajectory show <id> [--data-dir D] [--json]`,
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...DATA_DIR, json: { type: 'boolean' } } });
    const [sub, id] = positionals;
    if (sub !== 'show' || !id || positionals.length !== 2) throw new UsageError(this.usage);
    return withStore(values['data-dir'], (store) => {
      const t = store.getTrajectory(id);
      if (!t) {
        process.stderr.write(`jetty: no trajectory ${id} in ${store.file}\n`);
        return 1;
      }
      if (values.json) {
        out(JSON.stringify({ ...t, event_count: store.countEvents(id) }, null, 2));
        return 0;
      }
      const lines = [
        `${t.id}  ${t.status}${t.error ? ` — ${t.error}` : ''}`,
        `${t.collection}/${t.task}  (${t.kind})  agent ${t.agent ?? '-'}  model ${t.model ?? '-'}`,
        `created ${t.created_at}  duration ${duration(t) || '-'}  tokens ${t.usage?.total_tokens ?? '-'}`,
        `evaluation ${evaluationLine(t.evaluation)}`,
        `params ${JSON.stringify(t.init_params)}`,
        'steps:',
        ...Object.entries(t.steps).map(([name, s]) => `  ${name.padEnd(10)} ${s.status}`),
        `artifacts: ${t.artifacts.length ? '' : '-'}`,
        ...t.artifacts.map((a) => `  ${a.path}  ${a.size} B  ${a.media_type}`),
        `labels: ${t.labels.map((l) => `${l.key}=${l.value} (${l.author})`).join(', ') || '-'}`,
        `events: ${store.countEvents(id)}`,
      ];
      out(lines.join('\n'));
      return 0;
    });
  },
};

export const exportCommand: Command = {
  usage: `Usage: jetty export <id> [--format jetty|atif] [--out DIR] [--data-dir D]

--format jetty (the default) prints the trajectory in the cloud's shape, streamed.
--format atif prints it as an ATIF v1.7 trajectory (Harbor's format); with --out DIR it
writes DIR/trajectory.json and the images it names in DIR/images/ (needed when it has any).`,
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...DATA_DIR, format: { type: 'string' }, out: { type: 'string' } } });
    if (positionals.length !== 1) throw new UsageError(this.usage);
    const format = values.format ?? 'jetty';
    if (format !== 'jetty' && format !== 'atif') throw new UsageError(`--format: jetty or atif, got '${format}'`);
    if (values.out && format !== 'atif') throw new UsageError('--out goes with --format atif');
    const artifactsRoot = path.join(resolveDataDir(values['data-dir']), 'artifacts');
    return withStore(values['data-dir'], async (store) => {
      try {
        if (format === 'atif') {
          if (values.out) {
            const written = await writeAtifFolder(store, artifactsRoot, positionals[0], values.out);
            process.stderr.write(`wrote ${written.file}${written.images ? ` and ${written.images} image(s)` : ''}\n`);
            for (const image of written.missingImages) process.stderr.write(`jetty: image ${image} is not in this data folder; left out\n`);
            return 0;
          }
          const { document, images } = exportToAtif(store.exportTrajectory(positionals[0]));
          if (images.length > 0) throw new UsageError(`trajectory ${positionals[0]} names ${images.length} image(s): give --out DIR to write them beside trajectory.json`);
          out(JSON.stringify(document, null, 2));
          return 0;
        }
        // Streamed a page of events at a time (never the whole document in memory); stdout stays open.
        async function* withNewline() {
          yield* exportChunks(store, positionals[0]);
          yield '\n';
        }
        await pipeline(Readable.from(withNewline()), process.stdout, { end: false });
        return 0;
      } catch (err) {
        if (err instanceof StoreError && err.code === 'not_found') {
          process.stderr.write(`jetty: ${err.message}\n`);
          return 1;
        }
        throw err;
      }
    });
  },
};

export const importCommand: Command = {
  usage: `Usage: jetty import <file.json|folder> [--collection C] [--data-dir D]

Imports a Jetty export, a cloud trajectory.json summary, or an ATIF trajectory (Harbor's
agent/trajectory.json, with its images/); a folder is a Harbor trial (agent/trajectory.json)
or a job folder, whose trials are each imported. Prints each new id. --collection places
ATIF trajectories without Jetty's own extra (default: imported; the task is the trial's).`,
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...DATA_DIR, collection: { type: 'string' } } });
    if (positionals.length !== 1) throw new UsageError(this.usage);
    const target = positionals[0];
    const files = await atifFilesAt(target).catch((err: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${target}: ${err.code === 'ENOENT' ? 'no such file or folder' : err.message}`);
    });
    if (files.length === 0) throw new UsageError(`${target} holds no trajectory.json (nor trials with agent/trajectory.json)`);
    const artifactsRoot = path.join(resolveDataDir(values['data-dir']), 'artifacts');
    return withStore(values['data-dir'], async (store) => {
      let failed = 0;
      for (const file of files) {
        try {
          const doc = await readJsonFile(file);
          if (isAtifDocument(doc)) {
            const imported = await importAtifFile(store, artifactsRoot, file, { collection: values.collection });
            for (const image of imported.missingImages) process.stderr.write(`jetty: ${file}: image ${image} not found beside it (or past the bounds); imported without it\n`);
            out(imported.id);
          } else {
            out(await importInPieces(store, importableDocument(doc)));
          }
        } catch (err) {
          failed++;
          process.stderr.write(`jetty: cannot import ${file}: ${(err as Error).message}\n`);
        }
      }
      return failed === 0 ? 0 : 1;
    });
  },
};
