import { setTimeout as sleep } from 'node:timers/promises';
import { SUGGESTION_LENSES, SUGGESTION_LIMITS } from '../../../../shared/evaluation-suggestions';
import { backoffMs } from '../../base/retry-policy';
import type { ProposedEdit } from '../../store';
import type { ModelClient } from '../../workflows';
import { RetryableStepError } from '../../workflows/templates/types';
import { clipBytes } from './digest';
import { checkProposal, proposalsOf, type ProposalContext } from './proposals';

/** The analysis agent's whole prompt, every turn included, in UTF-8 bytes. */
export const PROMPT_BOUND = 256 * 1024;
/** Of it: the runbook's text at most (a longer one is cut: its end is not seen). */
export const RUNBOOK_BOUND = 64 * 1024;
/** Of it: one later turn (the call echoed back, clipped, and the reasons it was refused). */
const TURN_BOUND = 24 * 1024;
/** A `propose_edits` call's arguments read at most. */
const MAX_ARGUMENTS_CHARS = 256 * 1024;
const ATTEMPTS = 3;

export const TOOL_NAME = 'propose_edits';

const LENS_HELP: Record<(typeof SUGGESTION_LENSES)[number], string> = {
  consistent_failures: 'a stage or check that fails the same way across trials: the runbook is missing an instruction or states one wrongly',
  wasted_iterations: 'steps repeated or undone, retries of the same command: the runbook leaves the agent guessing',
  timeouts: 'long steps or runs cut short: a step that needs a bound, a faster way, or a smaller input',
  divergent_behaviour: 'trials of one cell taking different paths for the same input: an ambiguity to remove',
  missing_guardrails: 'an error the agent went on past, an output it never checked: a check or a stop condition to add',
};

const PROPOSE_EDITS_TOOL = {
  type: 'function',
  function: {
    name: TOOL_NAME,
    description: `Propose at most ${SUGGESTION_LIMITS.suggestions} edits of RUNBOOK.md, each replacing one exact passage (find, occurring once) with new text (replace), citing the failed trials' steps that motivate it.`,
    parameters: {
      type: 'object',
      properties: {
        suggestions: {
          type: 'array',
          maxItems: SUGGESTION_LIMITS.suggestions,
          items: {
            type: 'object',
            properties: {
              lens: { type: 'string', enum: [...SUGGESTION_LENSES] },
              title: { type: 'string', maxLength: SUGGESTION_LIMITS.title },
              rationale: { type: 'string', maxLength: SUGGESTION_LIMITS.rationale },
              evidence: {
                type: 'array',
                minItems: 1,
                maxItems: SUGGESTION_LIMITS.evidence,
                items: { type: 'object', properties: { trajectory_id: { type: 'string' }, step: { type: 'integer' } }, required: ['trajectory_id', 'step'] },
              },
              find: { type: 'string', maxLength: SUGGESTION_LIMITS.find },
              replace: { type: 'string', maxLength: SUGGESTION_LIMITS.replace },
            },
            required: ['lens', 'title', 'rationale', 'evidence', 'find', 'replace'],
          },
        },
      },
      required: ['suggestions'],
    },
  },
} as const;

const SYSTEM = [
  "You improve an agent runbook (RUNBOOK.md) from its evaluation's failed trials. Each trial is a run of the runbook by an agent; its steps are numbered `[step N]`.",
  'Read the failures through these lenses:',
  ...SUGGESTION_LENSES.map((lens) => `- ${lens}: ${LENS_HELP[lens]}`),
  `Then call ${TOOL_NAME} once with at most ${SUGGESTION_LIMITS.suggestions} small, targeted edits. Each edit: its lens; a short title; a rationale; evidence citing the steps that motivate it as {trajectory_id, step} (the trial run's id and the N of a [step N] shown); find: a passage copied exactly from RUNBOOK.md that occurs there once; replace: its new text.`,
  'Edit only what the evidence supports. Each edit is evaluated again on its own before it is offered.',
].join('\n');

type Message = Record<string, unknown>;

/** The prompt's size in UTF-8 bytes, as sent. */
export const promptBytes = (messages: readonly Message[]): number => Buffer.byteLength(JSON.stringify(messages), 'utf8');

/** The first turn: the lenses, the runbook (cut to its bound) and the digest (cut to what is left of the bound). */
export function firstMessages(runbook: string, digest: string): Message[] {
  const book = clipBytes(runbook, RUNBOOK_BOUND);
  const cut = book.length < runbook.length ? `\n[RUNBOOK.md is longer: its first ${RUNBOOK_BOUND / 1024} KiB are shown]` : '';
  const user = (d: string) => `RUNBOOK.md:\n<runbook>\n${book}\n</runbook>${cut}\n\nThe failed trials:\n${d}`;
  const fixed = promptBytes([{ role: 'system', content: SYSTEM }, { role: 'user', content: user('') }]) + (SUGGESTION_LIMITS.turns - 1) * TURN_BOUND + 1024;
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: user(clipBytes(digest, Math.max(0, PROMPT_BOUND - fixed))) },
  ];
}

export interface AnalysisOutcome {
  kept: ProposedEdit[];
  dropped: (ProposedEdit & { reason: string })[];
  turns: number;
}

/** The call echoed back in the conversation: the proposals as read, each field within its bound, within the turn's bound. */
function echoed(proposals: readonly unknown[]): string {
  const list = proposals.slice(0, 2 * SUGGESTION_LIMITS.suggestions);
  let text = JSON.stringify({ suggestions: list });
  while (Buffer.byteLength(text) > TURN_BOUND / 2 && list.length > 0) text = JSON.stringify({ suggestions: (list.pop(), list) });
  return clipBytes(text, TURN_BOUND / 2);
}

async function chat(models: ModelClient, body: Message, key: string, signal: AbortSignal) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await models.chat(body, { idempotencyKey: `${key}-${attempt}`, signal });
    } catch (error) {
      if (!(error instanceof RetryableStepError) || attempt >= ATTEMPTS || signal.aborted) throw error;
      await sleep(error.retryAfterMs ?? backoffMs(attempt, { baseMs: 1000, maxMs: 10_000, jitter: true }), undefined, { signal });
    }
  }
}

/**
 * The analysis agent: one chat call through the passthrough with the runbook, the digest and
 * the `propose_edits` tool; each proposal checked (its lens, its edit of RUNBOOK.md, its
 * evidence, its sizes). Refused ones go back as the tool's result with their reasons, for at
 * most SUGGESTION_LIMITS.turns turns; what is still refused is dropped with its reason (a
 * proposal corrected under the same title replaces its refusal). At most
 * SUGGESTION_LIMITS.suggestions are kept.
 */
export async function analyseFailures(input: { models: ModelClient; model: string; key: string; runbook: string; digest: string; context: ProposalContext; signal: AbortSignal }): Promise<AnalysisOutcome> {
  const messages = firstMessages(input.runbook, input.digest);
  const kept: ProposedEdit[] = [];
  const dropped = new Map<string, ProposedEdit & { reason: string }>();
  const sameEdit = (a: ProposedEdit, b: ProposedEdit) => a.find === b.find && a.replace === b.replace;
  let turn = 0;
  while (turn < SUGGESTION_LIMITS.turns) {
    turn++;
    if (promptBytes(messages) > PROMPT_BOUND) throw new Error(`the analysis prompt grew past ${PROMPT_BOUND} bytes`);
    const body = { model: input.model, messages, tools: [PROPOSE_EDITS_TOOL], tool_choice: { type: 'function', function: { name: TOOL_NAME } } };
    const reply = await chat(input.models, body, `${input.key}-turn-${turn}`, input.signal);
    const message = (reply.completion.choices as { message?: { tool_calls?: { id?: string; function?: { name?: string; arguments?: string } }[] } }[] | undefined)?.[0]?.message;
    const call = message?.tool_calls?.find((c) => c.function?.name === TOOL_NAME);
    if (!call) break; // answered in words: nothing (more) to propose
    const read = proposalsOf(call.function?.arguments ?? '', MAX_ARGUMENTS_CHARS);
    const reasons: string[] = [];
    if ('error' in read) reasons.push(read.error);
    else {
      for (const [i, raw] of read.proposals.entries()) {
        const checked = checkProposal(raw, input.context);
        const label = `suggestion ${i + 1}${checked.edit.title ? ` ("${checked.edit.title.slice(0, 80)}")` : ''}`;
        if (!checked.ok) {
          reasons.push(`${label}: ${checked.reason}`);
          dropped.set(checked.edit.title || `#${dropped.size + 1}`, { ...checked.edit, reason: checked.reason });
        } else if (kept.some((k) => sameEdit(k, checked.edit))) {
          continue; // proposed again as it was kept
        } else if (kept.length >= SUGGESTION_LIMITS.suggestions) {
          dropped.set(checked.edit.title, { ...checked.edit, reason: `more than ${SUGGESTION_LIMITS.suggestions} suggestions` });
        } else {
          kept.push(checked.edit);
          dropped.delete(checked.edit.title);
        }
      }
    }
    if (reasons.length === 0 || turn >= SUGGESTION_LIMITS.turns) break;
    const feedback = clipBytes(
      `Kept so far: ${kept.length}. Refused, not evaluated:\n- ${reasons.join('\n- ')}\nCall ${TOOL_NAME} again with corrected versions of the refused suggestions only (the same titles), or with an empty list to stop.`,
      TURN_BOUND / 2 - 512,
    );
    const echo = 'error' in read ? clipBytes(call.function?.arguments ?? '', TURN_BOUND / 2) : echoed(read.proposals);
    const id = call.id ?? `call_${turn}`;
    messages.push({ role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: TOOL_NAME, arguments: echo } }] });
    messages.push({ role: 'tool', tool_call_id: id, content: feedback });
  }
  return { kept, dropped: [...dropped.values()], turns: turn };
}
