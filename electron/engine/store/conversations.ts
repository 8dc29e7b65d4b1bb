import { ConversationEntrySchema, type ConversationEntry, type ConversationExport } from '../../../shared/conversation';
import { createConversationChain, messageHash, nodeHash, type ConversationChain, type ConversationRowsText } from './conversation-chain';
import { type StoreContext, writeTransaction } from './context';
import { StoreError } from './errors';
import type { SearchIndex } from './search-index';

/** Most entries a prompt's chain is walked back (a bound on a corrupt or cyclic chain). */
const MAX_CHAIN = 100_000;

const parseEntry = (body: string): ConversationEntry => ConversationEntrySchema.parse(JSON.parse(body));

/**
 * The conversations of trajectories (migration 9): each distinct message once (indexed for
 * search as it is stored), the Merkle chain of prompts, and the rendered runbook each run's
 * agent received.
 */
export function conversationsRepository(ctx: StoreContext, search: SearchIndex) {
  const sql = {
    message: ctx.db.prepare('INSERT OR IGNORE INTO conversation_messages (trajectory_id, hash, body) VALUES (?, ?, ?)'),
    node: ctx.db.prepare('INSERT OR IGNORE INTO conversation_nodes (trajectory_id, hash, parent_hash, message_hash) VALUES (?, ?, ?, ?)'),
    body: ctx.db.prepare<[string, string], { body: string }>('SELECT body FROM conversation_messages WHERE trajectory_id = ? AND hash = ?'),
    chain: ctx.db.prepare<{ t: string; ref: string; max: number }, { body: string | null; parent_hash: string }>(`
      WITH RECURSIVE chain (parent_hash, message_hash, depth) AS (
        SELECT parent_hash, message_hash, 0 FROM conversation_nodes WHERE trajectory_id = @t AND hash = @ref
        UNION ALL
        SELECT n.parent_hash, n.message_hash, chain.depth + 1 FROM chain
          JOIN conversation_nodes n ON n.trajectory_id = @t AND n.hash = chain.parent_hash
        WHERE chain.depth < @max
      )
      SELECT m.body, chain.parent_hash FROM chain
        LEFT JOIN conversation_messages m ON m.trajectory_id = @t AND m.hash = chain.message_hash
      ORDER BY chain.depth DESC`),
    allMessages: ctx.db.prepare<[string], { hash: string; body: string }>('SELECT hash, body FROM conversation_messages WHERE trajectory_id = ? ORDER BY hash'),
    allNodes: ctx.db.prepare<[string], ConversationExport['nodes'][number]>(
      'SELECT hash, parent_hash, message_hash FROM conversation_nodes WHERE trajectory_id = ? ORDER BY hash',
    ),
    putRunbook: ctx.db.prepare('INSERT INTO rendered_runbooks (trajectory_id, text) VALUES (?, ?) ON CONFLICT (trajectory_id) DO UPDATE SET text = excluded.text'),
    runbook: ctx.db.prepare<[string], { text: string }>('SELECT text FROM rendered_runbooks WHERE trajectory_id = ?'),
  };

  /** Stores rows (inside the caller's transaction); rows already stored are left as they are. */
  const insertRows = (trajectoryId: string, rows: ConversationRowsText): void => {
    for (const m of rows.messages) if (sql.message.run(trajectoryId, m.hash, m.body).changes > 0) search.indexMessage(trajectoryId, m.hash, m.body);
    for (const n of rows.nodes) sql.node.run(trajectoryId, n.hash, n.parent_hash, n.message_hash);
  };

  /** An export's conversation rows, checked: every hash is what its content gives, every reference resolves. */
  const checked = (conversation: ConversationExport): ConversationRowsText => {
    const messages = conversation.messages.map((m) => ({ hash: m.hash, body: JSON.stringify(m.body) }));
    const known = new Set(messages.map((m) => m.hash));
    const nodes = new Set(conversation.nodes.map((n) => n.hash));
    for (const m of messages) {
      if (messageHash(m.body) !== m.hash) throw new StoreError('invalid_input', `conversation message ${m.hash} does not match its body`);
    }
    for (const n of conversation.nodes) {
      if (nodeHash(n.parent_hash, n.message_hash) !== n.hash || !known.has(n.message_hash) || (n.parent_hash !== '' && !nodes.has(n.parent_hash))) {
        throw new StoreError('invalid_input', `conversation node ${n.hash} does not match its parent and message`);
      }
    }
    return { messages, nodes: conversation.nodes };
  };

  /**
   * Stores an export's conversation (inside the caller's transaction), redacted of the
   * trajectory's secrets. Hashes are of redacted bodies, so a message that held a secret
   * gets a new hash, and so does every node after it: returns each changed hash (message
   * or node) with its new one, for the events that refer to them.
   */
  const importRows = (trajectoryId: string, conversation: ConversationExport): Map<string, string> => {
    const rows = checked(conversation);
    const redactor = ctx.redactorFor(trajectoryId);
    const renamed = new Map<string, string>();
    const messages = rows.messages.map((m) => {
      const body = redactor.redactJson(JSON.parse(m.body));
      if (body === m.body) return m;
      const hash = messageHash(body);
      renamed.set(m.hash, hash);
      return { hash, body };
    });
    if (renamed.size === 0) return insertRows(trajectoryId, rows), renamed;
    // Parents before children (every node of a checked chain reaches the root), each rehashed over its new parent and message.
    const children = new Map<string, ConversationRowsText['nodes']>();
    for (const n of rows.nodes) children.set(n.parent_hash, [...(children.get(n.parent_hash) ?? []), n]);
    const nodes: ConversationRowsText['nodes'] = [];
    const walk = [...(children.get('') ?? [])];
    for (let n = walk.pop(); n; n = walk.pop()) {
      const parent = renamed.get(n.parent_hash) ?? n.parent_hash;
      const message = renamed.get(n.message_hash) ?? n.message_hash;
      const hash = nodeHash(parent, message);
      if (hash !== n.hash) renamed.set(n.hash, hash);
      nodes.push({ hash, parent_hash: parent, message_hash: message });
      walk.push(...(children.get(n.hash) ?? []));
    }
    insertRows(trajectoryId, { messages, nodes });
    return renamed;
  };

  return {
    /** A chain that hashes a run's calls with the trajectory's registered secrets redacted (see conversation-chain.ts). */
    chain: (trajectoryId: string): ConversationChain => createConversationChain(ctx.redactorFor(trajectoryId)),
    /** Stores the rows a chain handed out, in one transaction. */
    add: writeTransaction(ctx.db, insertRows),
    /** The prompt whose last node is `promptRef`, in order; null when that node is not stored. */
    prompt(trajectoryId: string, promptRef: string): ConversationEntry[] | null {
      const bodies = sql.chain.all({ t: trajectoryId, ref: promptRef, max: MAX_CHAIN });
      // Whole or nothing: the chain must reach the root and every message be there.
      if (bodies.length === 0 || bodies[0].parent_hash !== '' || bodies.some((b) => b.body === null)) return null;
      return bodies.map((b) => parseEntry(b.body!));
    },
    /** One stored message (a completion), or null. */
    message(trajectoryId: string, hash: string): ConversationEntry | null {
      const row = sql.body.get(trajectoryId, hash);
      return row ? parseEntry(row.body) : null;
    },
    /** The trajectory's conversation rows for its export (null when it has none). */
    export(trajectoryId: string): ConversationExport | null {
      const messages = sql.allMessages.all(trajectoryId).map((m) => ({ hash: m.hash, body: parseEntry(m.body) }));
      return messages.length === 0 ? null : { messages, nodes: sql.allNodes.all(trajectoryId) };
    },
    importRows,
    setRenderedRunbook(trajectoryId: string, text: string): void {
      sql.putRunbook.run(trajectoryId, ctx.redactorFor(trajectoryId).redact(text));
    },
    renderedRunbook: (trajectoryId: string): string | null => sql.runbook.get(trajectoryId)?.text ?? null,
  };
}
export type Conversations = ReturnType<typeof conversationsRepository>;
