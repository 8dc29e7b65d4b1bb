import { useEffect, useState } from 'react';
import { apiClient } from '../../stores/connection';
import './rendered-runbook.css';

/** "Runbook as run": the runbook text the run's agent received (rendered with its parameters, redacted), fetched when opened. */
export function RenderedRunbook({ trajectoryId }: { trajectoryId: string }) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText(undefined);
    setError(null);
  }, [trajectoryId]);
  useEffect(() => {
    if (!open || text !== undefined) return;
    let live = true;
    apiClient()
      ['trajectory.renderedRunbook']({ id: trajectoryId })
      .then((r) => live && setText(r.text))
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
    };
  }, [open, text, trajectoryId]);
  return (
    <details className="rendered-runbook" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Runbook as run</summary>
      {error ? (
        <p className="notice notice-error">{error}</p>
      ) : text === undefined ? (
        <p className="muted">Loading…</p>
      ) : text === null ? (
        <p className="muted">No rendered runbook was kept for this trajectory.</p>
      ) : (
        <pre aria-label="Runbook as run">{text}</pre>
      )}
    </details>
  );
}
