import { useEffect, useState } from 'react';
import type { ModelCallConversation } from '../../../../../shared/conversation';
import type { EventPayload } from '../../../../../shared/trajectory-events';
import { apiClient } from '../../../stores/connection';
import { useView } from '../../../stores/view';
import { useTrajectoryId } from '../trajectory-id';
import { ConversationEntryView, DeclaredTools } from './ConversationEntryView';
import { Fields } from './Fields';
import './generation.css';

const msText = (v: number | null | undefined) => (typeof v === 'number' ? `${v} ms` : undefined);

type Loaded = { conversation: ModelCallConversation } | { error: string } | null;

/** The call's prompt and completion, fetched when the view opens (they can be long: each in full, folded). */
function useConversation(trajectoryId: string | null, seq: number | undefined, recorded: boolean): Loaded {
  const [loaded, setLoaded] = useState<Loaded>(null);
  useEffect(() => {
    if (!trajectoryId || seq === undefined || !recorded) return;
    let live = true;
    apiClient()
      ['trajectory.modelCall']({ id: trajectoryId, seq })
      .then((conversation) => live && setLoaded({ conversation }))
      .catch((err: unknown) => live && setLoaded({ error: err instanceof Error ? err.message : String(err) }));
    return () => {
      live = false;
    };
  }, [trajectoryId, seq, recorded]);
  return loaded;
}

function Generation({ conversation: c }: { conversation: ModelCallConversation }) {
  if (!c.recorded) return <p className="muted">The prompt of this call was not recorded.</p>;
  return (
    <>
      <DeclaredTools tools={c.tools} />
      <h4 className="gen-section">Prompt · {c.messages.length} messages</h4>
      <div className="gen-messages" aria-label="Prompt">
        {c.messages.map((entry, i) => (entry.role === 'tools' ? null : <ConversationEntryView key={i} entry={entry} />))}
      </div>
      <h4 className="gen-section">Completion</h4>
      <div className="gen-messages" aria-label="Completion">
        {c.completion && c.completion.role !== 'tools' ? <ConversationEntryView entry={c.completion} label="completion" /> : <p className="muted">No completion (the call failed or was cut off).</p>}
      </div>
    </>
  );
}

/**
 * One model call as the gateway saw it, as a generation: model, tokens in/out/cached,
 * latency, first token, cost and error, then the prompt's messages by role (system, user,
 * assistant with its tool calls, tool results), the declared tools and the completion.
 */
export function ModelCallView({ payload: p, seq }: { payload: EventPayload<'model_call'>; seq?: number }) {
  const trajectoryId = useTrajectoryId();
  const recorded = Boolean(p.prompt_ref);
  const loaded = useConversation(trajectoryId, seq, recorded);
  const show = useView((s) => s.show);
  return (
    <div className="model-call-view generation">
      {p.source === 'workflow' && p.call_id && (
        <p className="small">
          Recorded as its own trajectory:{' '}
          <button type="button" className="link-button" data-open-trajectory={p.call_id} onClick={() => show({ name: 'replay', id: p.call_id! })}>
            <code>{p.call_id}</code>
          </button>
        </p>
      )}
      <Fields
        rows={[
          ['model', p.model],
          ['provider', p.provider ? `${p.provider}${p.api ? ` (${p.api})` : ''}` : undefined],
          ['source', p.source],
          ['tokens in', p.usage?.prompt_tokens],
          ['tokens out', p.usage?.completion_tokens],
          ['cached', p.cached_input_tokens],
          ['latency', msText(p.latency_ms)],
          ['first token', msText(p.first_token_ms)],
          ['cost', typeof p.cost_usd === 'number' ? `$${p.cost_usd.toFixed(6)}` : undefined],
          ['HTTP status', p.http_status],
          ['error', p.error],
        ]}
      />
      {!recorded ? null : loaded === null ? (
        <p className="muted">Loading the prompt and completion…</p>
      ) : 'error' in loaded ? (
        <p className="notice notice-error">{loaded.error}</p>
      ) : (
        <Generation conversation={loaded.conversation} />
      )}
    </div>
  );
}
