/**
 * The hashes of a conversation's Merkle chain (see migration 9), computed without SQL:
 * a message's hash is the sha256 of its redacted JSON body, a node's the sha256 of its
 * parent's hash and its message's hash ('' for the root's parent). Bodies are JSON in
 * the schema's key order, so an export's messages hash the same after its import.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { ConversationEntrySchema, type ConversationEntry, type ConversationExport } from '../../../shared/conversation';
import type { Redactor } from './redactor';

export type ConversationRows = ConversationExport;
type StoredMessage = { hash: string; body: string };
export type ConversationRowsText = { messages: StoredMessage[]; nodes: ConversationRows['nodes'] };

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The hash of a node whose chain ends with `messageHash` after `parentHash`. */
export const nodeHash = (parentHash: string, messageHash: string): string => sha256(parentHash + messageHash);

/** The hash of a message body as stored (redacted JSON text). */
export const messageHash = (body: string): string => sha256(body);

export interface CallRefs {
  /** The node of the prompt's last entry (null for an empty prompt). */
  promptRef: string | null;
  /** The completion's message hash (null when the call answered none). */
  completionRef: string | null;
}

/**
 * One trajectory's chain as a run writes it: `add` gives a call's refs and only the rows
 * not handed out before. The entries a prompt starts with as the one before did are only
 * compared, other entries seen before (same JSON) are not redacted or hashed again, so a
 * call costs its new messages plus one comparison per earlier one.
 */
export function createConversationChain(redactor: Redactor) {
  const hashes = new Map<string, string>();
  const nodes = new Set<string>();
  /** The last prompt's chain: the entries a prompt starts with as it did keep their hashes, compared in place. */
  let previous: { entry: ConversationEntry; message: string; node: string }[] = [];

  const hashOf = (entry: ConversationEntry, fresh: ConversationRowsText): string => {
    const raw = JSON.stringify(entry);
    const known = hashes.get(raw);
    if (known) return known;
    // Through the schema first, so the body's keys are in the order an export's import gives them.
    const body = redactor.redactJson(ConversationEntrySchema.parse(entry));
    const hash = messageHash(body);
    hashes.set(raw, hash);
    if (!fresh.messages.some((m) => m.hash === hash)) fresh.messages.push({ hash, body });
    return hash;
  };

  return {
    add(prompt: readonly ConversationEntry[], completion: ConversationEntry | null): CallRefs & { rows: ConversationRowsText } {
      const rows: ConversationRowsText = { messages: [], nodes: [] };
      const chain: typeof previous = [];
      let parent = '';
      let shared = true;
      for (const [i, entry] of prompt.entries()) {
        shared &&= i < previous.length && isDeepStrictEqual(previous[i].entry, entry);
        const message = shared ? previous[i].message : hashOf(entry, rows);
        const hash = shared ? previous[i].node : nodeHash(parent, message);
        if (!nodes.has(hash)) {
          nodes.add(hash);
          rows.nodes.push({ hash, parent_hash: parent, message_hash: message });
        }
        chain.push({ entry, message, node: hash });
        parent = hash;
      }
      previous = chain;
      return { promptRef: parent || null, completionRef: completion ? hashOf(completion, rows) : null, rows };
    },
  };
}
export type ConversationChain = ReturnType<typeof createConversationChain>;
