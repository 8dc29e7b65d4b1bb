/**
 * The hashes of a conversation's Merkle chain (see migration 9), computed without SQL:
 * a message's hash is the sha256 of its redacted JSON body, a node's the sha256 of its
 * parent's hash and its message's hash ('' for the root's parent). Bodies are JSON in
 * the schema's key order, so an export's messages hash the same after its import.
 */
import { createHash } from 'node:crypto';
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
 * not handed out before. Entries seen before (same JSON) are not redacted or hashed again,
 * so a call costs its new messages plus one map lookup per earlier one.
 */
export function createConversationChain(redactor: Redactor) {
  const hashes = new Map<string, string>();
  const nodes = new Set<string>();

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
      let parent = '';
      for (const entry of prompt) {
        const message = hashOf(entry, rows);
        const hash = nodeHash(parent, message);
        if (!nodes.has(hash)) {
          nodes.add(hash);
          rows.nodes.push({ hash, parent_hash: parent, message_hash: message });
        }
        parent = hash;
      }
      return { promptRef: parent || null, completionRef: completion ? hashOf(completion, rows) : null, rows };
    },
  };
}
export type ConversationChain = ReturnType<typeof createConversationChain>;
