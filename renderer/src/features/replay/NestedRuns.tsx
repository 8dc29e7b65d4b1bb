import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../shared/contract';
import { EvaluationBadge } from '../../components/EvaluationBadge';
import { StatusPill } from '../../components/StatusPill';
import { apiClient, useConnection } from '../../stores/connection';
import { useView } from '../../stores/view';

const KIND = { call: 'model call', child: 'child workflow', runbook: 'runbook run', rerun: 're-run' } as const;

/** The runs under a workflow (its model calls, fan-out children, run_runbook runs), each a link to its replay; kept current while it runs. */
export function NestedRuns({ id }: { id: string }) {
  const client = useConnection((s) => s.client);
  const show = useView((s) => s.show);
  const [children, setChildren] = useState<MethodOutput<'trajectory.children'> | null>(null);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => void apiClient()['trajectory.children']({ id }).then((c) => live && setChildren(c), () => undefined);
    load();
    const off = client?.on('trajectory.changed', () => {
      clearTimeout(timer);
      timer = setTimeout(load, 300);
    });
    return () => {
      live = false;
      clearTimeout(timer);
      off?.();
    };
  }, [id, client]);
  if (!children) return <p className="muted">Reading the runs under it…</p>;
  if (children.total === 0) return <p className="muted">No runs under this workflow.</p>;
  return (
    <ul className="nested-runs" aria-label="Runs under this workflow">
      {children.children.map(({ trajectory: t, kind, step }) => (
        <li key={t.id} data-nested={t.id} data-link={kind}>
          <button type="button" className="link-button" onClick={() => show({ name: 'replay', id: t.id })}>
            <code>{t.id}</code>
          </button>
          <span className="muted small">
            {step ? `${step} · ` : ''}
            {KIND[kind]}
          </span>
          <StatusPill status={t.status} />
          {t.kind === 'runbook' && t.evaluation && <EvaluationBadge evaluation={t.evaluation} />}
        </li>
      ))}
      {children.total > children.children.length && <li className="muted small">… and {children.total - children.children.length} more</li>}
    </ul>
  );
}
