import { useEffect, useState } from 'react';
import type { WorkflowRunView } from '../../../../shared/contract';
import { StatusPill } from '../../components/StatusPill';
import { apiClient, useConnection } from '../../stores/connection';
import { JsonTree } from '../artifacts/JsonTree';
import { buildStepGraph, formatDuration, type ChildGroup, type GraphNode } from '../workflows/step-graph';
import '../workflows/workflows.css';

/** Children shown per fan-out step (the rest are counted). */
const MAX_CHILD_CHIPS = 200;

/**
 * A workflow run's journal view, kept current: fetched again (one request at a time, the
 * latest wins) whenever a workflow step moves or the run's header changes.
 */
export function useWorkflowRun(id: string | null): { view: WorkflowRunView | null; error: string | null } {
  const client = useConnection((s) => s.client);
  const [view, setView] = useState<WorkflowRunView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setView(null);
    setError(null);
    if (!id || !client) return;
    let inFlight = false;
    let again = false;
    let stopped = false;
    // Progress of this run, of its children, or of anything while one of its fan-outs is running (new children) reloads.
    let children = new Set<string>();
    let fanningOut = false;
    const related = (workflowId: string) => workflowId === id || fanningOut || children.has(workflowId);
    const show = (v: WorkflowRunView) => {
      children = new Set(v.children.map((c) => c.id));
      fanningOut = v.steps.some((s) => s.activity === 'list_emit_await' && s.status === 'running');
      setView(v);
    };
    const load = () => {
      if (inFlight) return void (again = true);
      inFlight = true;
      apiClient()
        ['workflow.run']({ id })
        .then((v) => stopped || show(v), (err: unknown) => stopped || setError(err instanceof Error ? err.message : String(err)))
        .finally(() => {
          inFlight = false;
          if (again && !stopped) {
            again = false;
            load();
          }
        });
    };
    load();
    const offProgress = client.on('workflow.progress', (p) => related(p.workflowId) && load());
    const offChanged = client.on('trajectory.changed', (t) => t.id === id && load());
    return () => {
      stopped = true;
      offProgress();
      offChanged();
    };
  }, [id, client]);
  return { view, error };
}

function Children({ group, onOpen }: { group: ChildGroup; onOpen(id: string): void }) {
  if (group.total === 0) return <p className="muted small sg-children-empty">No children started yet.</p>;
  const counts = Object.entries(group.counts).map(([status, n]) => `${n} ${status}`).join(' · ');
  return (
    <div className="sg-children" role="group" aria-label="Fan-out children">
      <p className="small muted">
        {group.total} children — {counts}
      </p>
      <ul className="sg-child-list">
        {group.children.slice(0, MAX_CHILD_CHIPS).map((c) => (
          <li key={c.id}>
            <button type="button" className={`sg-child sg-${c.status}`} data-child={c.index} title={`Open child ${c.index} (${c.id}, ${c.status})`} onClick={() => onOpen(c.id)}>
              #{c.index}
            </button>
          </li>
        ))}
      </ul>
      {group.total > MAX_CHILD_CHIPS && <p className="small muted">and {group.total - MAX_CHILD_CHIPS} more</p>}
    </div>
  );
}

function Node({ node, spanMs, onOpenChild }: { node: GraphNode; spanMs: number; onOpenChild(id: string): void }) {
  const [open, setOpen] = useState(false);
  const bar = spanMs > 0 && node.offsetMs !== null && node.durationMs !== null ? { left: `${(node.offsetMs / spanMs) * 100}%`, width: `max(2px, ${(node.durationMs / spanMs) * 100}%)` } : null;
  return (
    <li className={`sg-node sg-${node.state}`} data-step={node.name} data-state={node.state}>
      <button type="button" className="sg-head" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="sg-dot" aria-hidden="true" />
        <span className="sg-name">{node.name}</span>
        <code className="sg-activity">{node.activity}</code>
        <span className="spacer" />
        {node.retries.length > 0 && (
          <span className="sg-retries" title={node.retries.map((r) => `attempt ${r.attempt}: ${r.error}`).join('\n')}>
            {node.retries.length} {node.retries.length === 1 ? 'retry' : 'retries'}
          </span>
        )}
        {node.durationMs !== null && <span className="sg-time">{formatDuration(node.durationMs)}</span>}
        {node.state === 'skipped' ? <span className="pill status-skipped">skipped</span> : <StatusPill status={node.state} />}
      </button>
      {bar && (
        <div className="sg-bar" aria-hidden="true">
          <span style={bar} />
        </div>
      )}
      {node.jumpsTo && <p className="sg-jump small">branch → {node.jumpsTo}</p>}
      {node.error && node.state === 'failed' && <p className="sg-error small">{node.error}</p>}
      {node.children && <Children group={node.children} onOpen={onOpenChild} />}
      {open && (
        <div className="sg-detail">
          <p className="small muted">
            Attempt {node.attempt}
            {node.retries.map((r) => (
              <span key={r.attempt} className="sg-attempt">
                {' '}
                · attempt {r.attempt} failed: {r.error}
                {r.delay_ms !== null && ` (retried after ${formatDuration(r.delay_ms)})`}
              </span>
            ))}
          </p>
          <h4 className="section-title">Inputs</h4>
          <JsonTree text={JSON.stringify(node.inputs)} />
          <h4 className="section-title">Outputs</h4>
          <JsonTree text={JSON.stringify(node.outputs)} />
        </div>
      )}
    </li>
  );
}

/** A workflow run's steps as a graph: state, timing, retries; inputs and outputs on click; fan-out children openable. */
export function StepGraph({ view, onOpenRun }: { view: WorkflowRunView; onOpenRun(id: string): void }) {
  const graph = buildStepGraph(view, Date.now());
  return (
    <section className="step-graph" aria-label="Step graph" data-status={view.status}>
      <header className="sg-header">
        <h3 className="section-title">Steps</h3>
        <span className="small muted" role="status">
          {graph.finished} of {graph.nodes.length} steps done
        </span>
        {view.parent && (
          <button type="button" className="button button-small button-quiet" onClick={() => onOpenRun(view.parent!.id)}>
            ↑ Parent ({view.parent.step} #{view.parent.index})
          </button>
        )}
      </header>
      {view.error && <p className="notice notice-error small">{view.error}</p>}
      <ol className="sg-nodes">
        {graph.nodes.map((n) => (
          <Node key={n.name} node={n} spanMs={graph.spanMs} onOpenChild={onOpenRun} />
        ))}
      </ol>
    </section>
  );
}

/** The step graph of run `id`, loaded and kept current (the replay viewer mounts this for workflow trajectories). */
export function LiveStepGraph({ id, onOpenRun }: { id: string; onOpenRun(id: string): void }) {
  const { view, error } = useWorkflowRun(id);
  if (error) return <p className="notice notice-error">{error}</p>;
  if (!view) return <p className="placeholder">Loading the steps…</p>;
  return <StepGraph view={view} onOpenRun={onOpenRun} />;
}
