import { z } from 'zod';

/**
 * What the model saw and said in one call, as the gateway stored it: the prompt's entries
 * in order and the completion, in the gateway's internal shape (whatever wire API the
 * agent spoke). The tools a call declared are an entry of their own (`role: 'tools'`) at
 * the head of its prompt, and the system prompt one (`role: 'system'`) after it, so a
 * conversation that re-declares them on every call stores them once.
 */
const ToolCallSchema = z.object({ id: z.string(), name: z.string(), arguments: z.string() });

const ContentPartSchema = z.union([
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({
    type: z.literal('image'),
    source: z.union([
      z.object({ kind: z.literal('base64'), mediaType: z.string(), data: z.string() }),
      z.object({ kind: z.literal('url'), url: z.string() }),
    ]),
  }),
]);

export const DeclaredToolSchema = z.object({ name: z.string(), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()) });
export type DeclaredTool = z.infer<typeof DeclaredToolSchema>;

export const ConversationEntrySchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('tools'), tools: z.array(DeclaredToolSchema) }),
  z.object({ role: z.literal('system'), text: z.string() }),
  z.object({ role: z.literal('user'), content: z.array(ContentPartSchema) }),
  z.object({ role: z.literal('assistant'), text: z.string(), toolCalls: z.array(ToolCallSchema), reasoning: z.string().optional() }),
  z.object({ role: z.literal('tool'), toolCallId: z.string(), name: z.string(), content: z.string() }),
]);
export type ConversationEntry = z.infer<typeof ConversationEntrySchema>;
export type ChatEntry = Exclude<ConversationEntry, { role: 'tools' }>;

const Hash = z.string().regex(/^[0-9a-f]{64}$/, 'a hash is 64 hex characters (sha256)');

/**
 * A trajectory's conversation in its export: each distinct entry once, and the chain of
 * nodes (node hash = sha256(parent hash + message hash); the root's parent is '') that a
 * call's `prompt_ref` names the last node of.
 */
export const ConversationExportSchema = z.object({
  messages: z.array(z.object({ hash: Hash, body: ConversationEntrySchema })),
  nodes: z.array(z.object({ hash: Hash, parent_hash: z.union([Hash, z.literal('')]), message_hash: Hash })),
});
export type ConversationExport = z.infer<typeof ConversationExportSchema>;

/** One model call's prompt (declared tools apart), completion, and whether the gateway recorded them. */
export const ModelCallConversationSchema = z.object({
  recorded: z.boolean(),
  tools: z.array(DeclaredToolSchema),
  messages: z.array(ConversationEntrySchema),
  completion: ConversationEntrySchema.nullable(),
});
export type ModelCallConversation = z.infer<typeof ModelCallConversationSchema>;
