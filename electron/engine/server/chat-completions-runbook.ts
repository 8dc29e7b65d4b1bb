import { createReadStream } from 'node:fs';
import { rm, rmdir } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { z } from 'zod';
import { evaluationLine } from '../../../shared/evaluation';
import { eventDetail, eventSummary } from '../../../shared/event-text';
import { NameSchema } from '../../../shared/names';
import { ImageNameSchema, type Workspace } from '../../../shared/contract';
import type { Trajectory, TrajectoryEvent } from '../../../shared/trajectory';
import { listAgentRuntimes } from '../agents/registry';
import { openAiError } from '../proxy/openai-error';
import { TRAJECTORY_ID_HEADER } from '../proxy/passthrough';
import { analyzeRunbookFile } from '../runbook';
import { refuseLintErrors } from '../runs/prepare';
import { chatRunbooksDir, runbookPathCheck } from '../workspace/runbook-roots';
import type { RunbookModeHandler } from './chat-completions';
import type { CatalogView } from './rest/catalog-view';
import { filesRoot, resolveInside } from './rest/files-root';
import { HttpError, validate } from './rest/http';
import { startFollowing, type LocalRuns } from './rest/run-events';
import { sendJson } from '../http/respond';
import { receiveFolder } from './rest/task-folders';
import { fetchRunbook, locateRunbook } from './runbook-url';

type Json = Record<string, unknown>;

const JettyBlock = z.object({
  runbook: z.boolean().optional(),
  runbook_url: z.string().min(1).max(4096).optional(),
  collection: NameSchema,
  task: NameSchema.optional(),
  agent: z.string().min(1).optional(),
  /** The run's sandbox image, over its collection's, Settings' and the runbook's. */
  image: ImageNameSchema.optional(),
  file_paths: z.array(z.string()).optional(),
  /** The parameters as they are (else read from the user message's "parameters: a=1, b=2"). */
  parameters: z.record(z.string().max(256), z.string().max(1024 * 1024)).optional(),
  /** The runbook's folder as one tar (a path from the upload endpoint): the run's working directory holds it, beside the system message's runbook. */
  folder: z.string().max(4096).optional(),
});
type JettyBlock = z.infer<typeof JettyBlock>;

const textOf = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map((p) => (typeof p === 'object' && p && 'text' in p ? String((p as Json).text) : '')).join('\n')
      : '';

function messageText(body: Json, role: string): string {
  const messages = Array.isArray(body.messages) ? (body.messages as Json[]) : [];
  return messages.filter((m) => m?.role === role).map((m) => textOf(m.content)).join('\n\n').trim();
}

/** `key=value` pairs after "parameters:" in the user's message ("Execute the runbook with parameters: a=1, b=2"). */
export function paramsFromMessage(text: string): Record<string, string> {
  const after = text.match(/parameters\s*:\s*([\s\S]*)$/i)?.[1] ?? '';
  const params: Record<string, string> = {};
  for (const m of after.matchAll(/([A-Za-z_][\w-]*)\s*=\s*("[^"]*"|'[^']*'|[^,\s]+)/g)) params[m[1]] = m[2].replace(/^["']|["']$/g, '');
  return params;
}

/** The chat text of a live event (what a person watching the stream wants to read): the agent's words and output whole, its work in one line each. */
function eventText(event: TrajectoryEvent): string {
  switch (event.type) {
    case 'message':
      return `${eventDetail(event)}\n`;
    case 'command_output':
      return eventDetail(event);
    case 'tool_call':
      return `→ ${eventSummary(event)}\n`;
    case 'status':
      return `[${eventSummary(event)}]\n`;
    case 'log':
    case 'retry':
      return event.level === 'error' || event.level === 'warning' ? `[${event.level}] ${eventSummary(event)}\n` : '';
    default:
      return '';
  }
}

function summaryOf(t: Trajectory): string {
  const agent = t.steps.agent?.outputs?.summary;
  const lines = [`Run ${t.id} ${t.status}${t.error ? `: ${t.error}` : ''}.`];
  if (typeof agent === 'string' && agent) lines.push(agent);
  if (t.evaluation) lines.push(`Evaluation: ${evaluationLine(t.evaluation)}.`);
  return lines.join('\n\n');
}

export interface RunbookModeDeps {
  dataDir: string;
  catalog: CatalogView;
  runs: LocalRuns;
  /** The opened folders: runbooks are read by path only inside them (and the chat runbooks). */
  workspaces: () => Promise<Workspace[]>;
  /** Hosts `jetty.runbook_url` may fetch from (the `runbookUrlHosts` setting). */
  runbookUrlHosts: () => readonly string[];
}

/** The runbook a request runs: its file, its task, and whether this request wrote the file. */
interface RunbookSource {
  file: string;
  task: string;
  staged: boolean;
}

/** The task a runbook found by path or URL is filed under: `jetty.task`, else the name of the runbook's folder. */
function taskOf(block: JettyBlock, folderName: string): string {
  return block.task ?? validate(NameSchema, folderName, "jetty.task (else the runbook_url's folder name)");
}

/** Removes a staged runbook with its folder, and the folders that leaves empty, up to the chat runbooks folder. */
async function unstage(root: string, file: string): Promise<void> {
  await rm(path.dirname(file), { recursive: true, force: true });
  for (let dir = path.dirname(path.dirname(file)); dir.startsWith(root + path.sep); dir = path.dirname(dir)) {
    if (!(await rmdir(dir).then(() => true, () => false))) return;
  }
}

/**
 * Runbook mode of `/v1/chat/completions`: the system message is the runbook (else the
 * task's registered RUNBOOK.md, or `runbook_url`: a URL on an allowed host, or a
 * RUNBOOK.md in an opened folder), the user message carries the parameters, and the
 * run's progress comes back as chat chunks when `stream` is true. Runbook text that came
 * with the request is linted before anything is written. The trajectory id is in
 * `trajectory_id` and the X-Jetty-Trajectory-Id header.
 */
export function runbookModeHandler(deps: RunbookModeDeps): RunbookModeHandler {
  const readable = runbookPathCheck(deps.workspaces, deps.dataDir);

  /**
   * Lints runbook text sent with the request, then (no errors) writes it under the chat
   * runbooks, in place of what an earlier request left there: alone, or in its folder
   * (`jetty.folder`, the tar of the runbook's folder), which the run's working directory holds.
   */
  async function stage(collection: string, task: string, text: string, from: string, folder?: string): Promise<RunbookSource> {
    const dir = path.join(chatRunbooksDir(deps.dataDir), collection, task);
    const file = path.join(dir, 'RUNBOOK.md');
    refuseLintErrors(from, await analyzeRunbookFile(file, text));
    const archive = folder === undefined ? null : createReadStream(await resolveInside(filesRoot(deps.dataDir), folder));
    await receiveFolder(deps.dataDir, archive, dir, text);
    return { file, task, staged: true };
  }

  async function runbookSource(block: JettyBlock, body: Json): Promise<RunbookSource> {
    if (block.runbook_url) {
      if (block.folder) throw new HttpError(422, 'jetty.folder: send the runbook it holds as the system message, not jetty.runbook_url');
      const where = locateRunbook(block.runbook_url, deps.runbookUrlHosts());
      if ('url' in where) {
        const folder = path.posix.basename(path.posix.dirname(where.url.pathname));
        return stage(block.collection, taskOf(block, folder), await fetchRunbook(where.url), where.url.href);
      }
      const file = await readable(where.path);
      return { file, task: taskOf(block, path.basename(path.dirname(file))), staged: false };
    }
    if (!block.task) throw new HttpError(422, 'jetty.task: required');
    const system = messageText(body, 'system');
    if (system) return stage(block.collection, block.task, system, 'the runbook in the system message', block.folder);
    if (block.folder) throw new HttpError(422, 'jetty.folder: send the runbook it holds as the system message');
    const task = await deps.catalog.task(block.collection, block.task);
    if (typeof task?.workflow.runbook !== 'string') {
      throw new HttpError(422, `messages: send the runbook as the system message, or register '${block.task}' as a runbook task in '${block.collection}'`);
    }
    return { file: await readable(await deps.catalog.runbookFile(task)), task: block.task, staged: false };
  }

  return async (res: ServerResponse, body: Json) => {
    let handle;
    const stream = body.stream === true;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (id: string, delta: Json, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: `chatcmpl-${id}`, object: 'chat.completion.chunk', created, model: body.model ?? 'jetty-runbook', trajectory_id: id, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const live: TrajectoryEvent[] = [];
    let send: ((e: TrajectoryEvent) => void) | null = null;
    try {
      const block = validate(JettyBlock, body.jetty, 'jetty');
      if (!block.runbook_url && block.runbook !== true) throw new HttpError(422, 'jetty.runbook: must be true (or give jetty.runbook_url)');
      // An agent this Jetty does not offer is refused, never swapped for another.
      const agents = listAgentRuntimes();
      if (block.agent && !agents.includes(block.agent)) throw new HttpError(422, `jetty.agent: '${block.agent}' is not offered here (this Jetty offers ${agents.join(', ')})`);
      const files = await Promise.all((block.file_paths ?? []).map((p) => resolveInside(filesRoot(deps.dataDir), p)));
      const { file, task, staged } = await runbookSource(block, body);
      handle = await startFollowing(
        deps.runs,
        {
          runbookPath: file,
          collection: block.collection,
          task,
          params: block.parameters ?? paramsFromMessage(messageText(body, 'user')),
          files,
          agent: block.agent,
          model: typeof body.model === 'string' ? body.model : undefined,
          image: block.image,
          door: 'chat',
        },
        (event) => (send ? send(event) : live.push(event)),
      ).catch(async (error: unknown) => {
        // A run that cannot start leaves nothing behind (missing parameters, secrets…).
        if (staged) await unstage(chatRunbooksDir(deps.dataDir), file);
        throw error;
      });
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 422;
      return sendJson(res, status, openAiError((error as Error).message, 'invalid_request_error'));
    }
    const id = handle.id;
    res.setHeader(TRAJECTORY_ID_HEADER, id);
    if (!stream) {
      const t = await handle.done;
      return sendJson(res, 200, {
        id: `chatcmpl-${id}`,
        object: 'chat.completion',
        created,
        model: body.model ?? 'jetty-runbook',
        trajectory_id: id,
        choices: [{ index: 0, message: { role: 'assistant', content: summaryOf(t) }, finish_reason: 'stop', logprobs: null }],
        usage: t.usage ?? null,
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(chunk(id, { role: 'assistant', content: `Started run ${id}.\n` }));
    send = (event) => {
      const text = eventText(event);
      if (text && !res.writableEnded) res.write(chunk(id, { content: text }));
    };
    for (const event of live.splice(0)) send(event);
    const t = await handle.done;
    if (res.writableEnded || res.destroyed) return;
    res.write(chunk(id, { content: `\n${summaryOf(t)}` }));
    res.end(`${chunk(id, {}, 'stop')}data: [DONE]\n\n`);
  };
}
