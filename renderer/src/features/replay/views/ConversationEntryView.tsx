import type { ConversationEntry, DeclaredTool } from '../../../../../shared/conversation';
import { prettyJson } from './Fields';
import { FoldedText } from './FoldedText';

/** A tool call's JSON arguments indented (as sent when they are not JSON). */
function prettyArguments(text: string): string {
  try {
    return prettyJson(JSON.parse(text));
  } catch {
    return text;
  }
}

function userText(entry: Extract<ConversationEntry, { role: 'user' }>): string {
  return entry.content.map((part) => (part.type === 'text' ? part.text : part.source.kind === 'url' ? `[image ${part.source.url}]` : `[image ${part.source.mediaType}]`)).join('\n');
}

/** One message of a prompt or a completion, by role: text, tool calls with their arguments, a tool's result. */
export function ConversationEntryView({ entry, label }: { entry: Exclude<ConversationEntry, { role: 'tools' }>; label?: string }) {
  const heading = (
    <div className="gen-message-head">
      <span className={`gen-role role-${entry.role}`}>{label ?? entry.role}</span>
      {entry.role === 'tool' && (
        <span className="muted">
          {entry.name} <code>{entry.toolCallId}</code>
        </span>
      )}
    </div>
  );
  return (
    <article className={`gen-message role-${entry.role}`} data-role={entry.role} aria-label={`${label ?? entry.role} message`}>
      {heading}
      {entry.role === 'system' && <FoldedText text={entry.text} />}
      {entry.role === 'user' && <FoldedText text={userText(entry)} />}
      {entry.role === 'tool' && <FoldedText text={entry.content} />}
      {entry.role === 'assistant' && (
        <>
          {entry.reasoning && <FoldedText className="gen-reasoning" text={entry.reasoning} />}
          {entry.text && <FoldedText text={entry.text} />}
          {entry.toolCalls.map((call) => (
            <div key={call.id} className="gen-tool-call" data-tool-call={call.name}>
              <div className="gen-tool-call-head">
                <span className="gen-tool-name">{call.name}</span> <code className="muted">{call.id}</code>
              </div>
              <FoldedText text={prettyArguments(call.arguments)} />
            </div>
          ))}
        </>
      )}
    </article>
  );
}

/** The tools a call declared, each with its parameters' schema (folded). */
export function DeclaredTools({ tools }: { tools: DeclaredTool[] }) {
  if (tools.length === 0) return null;
  return (
    <details className="gen-tools">
      <summary>
        Tools ({tools.length}): {tools.map((t) => t.name).join(', ')}
      </summary>
      {tools.map((tool) => (
        <div key={tool.name} className="gen-tool">
          <div className="gen-tool-name">{tool.name}</div>
          {tool.description && <p className="muted">{tool.description}</p>}
          <FoldedText text={prettyJson(tool.parameters)} />
        </div>
      ))}
    </details>
  );
}
