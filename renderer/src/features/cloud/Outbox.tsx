import { useState } from 'react';
import type { CloudOutboxDelivery, CloudOutboxItem } from '../../../../shared/cloud';
import { apiClient } from '../../stores/connection';
import { messageOf } from './cloud-store';

/** Deliveries of this session, newest first: what came of each deploy, run and label (a deploy that waited included). */
function Delivered({ items }: { items: CloudOutboxDelivery[] }) {
  if (items.length === 0) return null;
  return (
    <details className="cloud-delivered" open>
      <summary className="muted small">Delivered ({items.length})</summary>
      <ul className="cloud-outbox-list">
        {items.slice(0, 10).map((d) => (
          <li key={`${d.seq}-${d.delivered_at}`} data-delivered-seq={d.seq}>
            <div className="secret-head">
              <span>
                <code>#{d.seq}</code> {d.summary}
              </span>
              <span className="pill pill-ok">delivered</span>
            </div>
            <small className="muted">{new Date(d.delivered_at).toLocaleString()}</small>
            <p className="small" data-outcome>
              {d.outcome}
            </p>
          </li>
        ))}
      </ul>
    </details>
  );
}

/** What waits for the remote and why; a failed item shows the remote's message and can be retried or dropped; then what was delivered. */
export function Outbox({ items, delivered = [] }: { items: CloudOutboxItem[]; delivered?: CloudOutboxDelivery[] }) {
  const [error, setError] = useState<string | null>(null);
  const act = (call: () => Promise<unknown>) => call().then(() => setError(null), (err: unknown) => setError(messageOf(err)));
  return (
    <section className="cloud-card cloud-outbox" aria-label="Outbox">
      <header className="cloud-card-header">
        <h2 className="section-title">Outbox</h2>
        {items.length > 0 && (
          <button type="button" className="button button-small" onClick={() => void act(() => apiClient()['cloud.outbox.flush']({}))}>
            Deliver now
          </button>
        )}
      </header>
      {items.length === 0 ? (
        <p className="muted" data-outbox-empty>
          Nothing waiting: every deploy, remote run and label reached the remote.
        </p>
      ) : (
        <ul className="cloud-outbox-list">
          {items.map((item) => (
            <li key={item.seq} data-outbox-seq={item.seq} data-state={item.state}>
              <div className="secret-head">
                <span>
                  <code>#{item.seq}</code> {item.summary}
                </span>
                <span className={`pill ${item.state === 'failed' ? 'pill-error' : 'pill-warning'}`}>{item.state === 'failed' ? 'failed' : 'pending'}</span>
              </div>
              <small className="muted">
                {item.attempts} attempt{item.attempts === 1 ? '' : 's'} · queued {new Date(item.created_at).toLocaleString()} · {item.base_url}
              </small>
              {item.last_error && <p className={item.state === 'failed' ? 'field-error' : 'muted small'}>{item.state === 'failed' ? `The remote said: ${item.last_error}` : `Waiting: ${item.last_error}`}</p>}
              {item.state === 'failed' && (
                <div className="run-actions">
                  <button type="button" className="button button-small" onClick={() => void act(() => apiClient()['cloud.outbox.retry']({ seq: item.seq }))}>
                    Retry
                  </button>
                  <button type="button" className="button button-small button-quiet" onClick={() => void act(() => apiClient()['cloud.outbox.drop']({ seq: item.seq }))}>
                    Drop
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {error && <p className="notice notice-error">{error}</p>}
      <Delivered items={delivered} />
    </section>
  );
}
