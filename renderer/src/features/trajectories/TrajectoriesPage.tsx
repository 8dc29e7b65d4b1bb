import './evaluation.css';
import { useEffect, useId, useState } from 'react';
import { EvaluationVerdictSchema, type EvaluationVerdict, type TrajectorySort } from '../../../../shared/evaluation';
import { TrajectoryStatusSchema, type Trajectory } from '../../../../shared/trajectory';
import { EvaluationBadge, VerdictIcon } from '../../components/EvaluationBadge';
import { StatusPill } from '../../components/StatusPill';
import { useConnection } from '../../stores/connection';
import { useTrajectoryList, type ListFilters } from '../../stores/trajectory-list';
import { useView } from '../../stores/view';
import { formatSpan } from '../run/use-elapsed';
import { ImportDropZone } from './ImportButton';

const REFRESH_DELAY_MS = 400;

const SORTS: Record<TrajectorySort, string> = { newest: 'Newest first', failed_first: 'Failed first', passed_first: 'Passed first' };
const FILTER_WORDS: Record<EvaluationVerdict | 'any', string> = { any: 'Any', passed: 'Passed', failed: 'Failed', none: 'No evaluation' };

/** Any, passed, failed or no evaluation: one radio group (arrow keys move between them), apart from the status. */
function EvaluationFilter({ value, onChange }: { value: EvaluationVerdict | undefined; onChange(value: EvaluationVerdict | undefined): void }) {
  const name = useId();
  const options: (EvaluationVerdict | undefined)[] = [undefined, ...EvaluationVerdictSchema.options];
  return (
    <div className="filter">
      <span id={`${name}-label`}>Evaluation</span>
      <div className="segmented evaluation-filter" role="radiogroup" aria-labelledby={`${name}-label`}>
        {options.map((v) => (
          <label key={v ?? 'any'} className={value === v ? 'is-selected' : undefined} data-verdict={v ?? 'any'}>
            <input type="radio" name={name} value={v ?? ''} checked={value === v} onChange={() => onChange(v)} />
            {v && <VerdictIcon verdict={v} />}
            {FILTER_WORDS[v ?? 'any']}
          </label>
        ))}
      </div>
    </div>
  );
}

function Filters() {
  const { filters, setFilters, sort, setSort } = useTrajectoryList();
  const id = useId();
  const field = (key: keyof ListFilters, label: string, placeholder: string) => (
    <label className="filter" htmlFor={`${id}-${key}`}>
      <span>{label}</span>
      <input
        id={`${id}-${key}`}
        className="text-input"
        type="search"
        placeholder={placeholder}
        value={filters[key] ?? ''}
        onChange={(e) => setFilters({ ...filters, [key]: e.target.value || undefined })}
      />
    </label>
  );
  return (
    <div className="filters" role="search" aria-label="Filter trajectories">
      {field('search', 'Search', 'text')}
      {field('collection', 'Collection', 'any')}
      {field('task', 'Runbook', 'any')}
      <label className="filter" htmlFor={`${id}-status`}>
        <span>Status</span>
        <select id={`${id}-status`} className="text-input" value={filters.status ?? ''} onChange={(e) => setFilters({ ...filters, status: (e.target.value || undefined) as ListFilters['status'] })}>
          <option value="">any</option>
          {TrajectoryStatusSchema.options.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <EvaluationFilter value={filters.evaluation} onChange={(evaluation) => setFilters({ ...filters, evaluation })} />
      {field('label', 'Label', 'key or key=value')}
      <label className="filter" htmlFor={`${id}-sort`}>
        <span>Sort</span>
        <select id={`${id}-sort`} className="text-input" value={sort} onChange={(e) => setSort(e.target.value as TrajectorySort)}>
          {Object.entries(SORTS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function Row({ t, picked, onPick }: { t: Trajectory; picked: boolean; onPick(on: boolean): void }) {
  const show = useView((s) => s.show);
  const duration = t.started_at && t.ended_at ? formatSpan(Date.parse(t.ended_at) - Date.parse(t.started_at)) : '—';
  return (
    <tr data-trajectory={t.id}>
      <td>
        <input type="checkbox" aria-label={`Pick ${t.id} to compare`} checked={picked} onChange={(e) => onPick(e.target.checked)} />
      </td>
      <td>
        <button type="button" className="link-button" onClick={() => show({ name: 'replay', id: t.id })}>
          <code>{t.id}</code>
        </button>
      </td>
      <td>
        <span className="muted">{t.collection}/</span>
        {t.task}
      </td>
      <td>
        <StatusPill status={t.status} />
      </td>
      <td>
        {/* A model call is never evaluated, a live run not yet. */}
        {t.evaluation || (t.kind !== 'passthrough' && !['pending', 'running'].includes(t.status)) ? <EvaluationBadge evaluation={t.evaluation} /> : <span className="muted">—</span>}
      </td>
      <td className="muted">{new Date(t.created_at).toLocaleString()}</td>
      <td className="num">{duration}</td>
      <td className="num">{t.usage ? t.usage.total_tokens.toLocaleString() : '—'}</td>
      <td>
        {t.labels.map((l) => (
          <span key={`${l.key}=${l.value}`} className="label-chip small">
            {l.key}
            {l.value && `=${l.value}`}
          </span>
        ))}
      </td>
    </tr>
  );
}

/** Every trajectory in the data folder: filters, paging, import, pick two to compare. */
export function TrajectoriesPage() {
  const { result, error, page, setPage, load, filters, sort } = useTrajectoryList();
  const client = useConnection((s) => s.client);
  const show = useView((s) => s.show);
  const [picked, setPicked] = useState<string[]>([]);

  useEffect(() => void load(), [load]);
  useEffect(() => {
    // At most one reload per REFRESH_DELAY_MS, however many changes stream in (a busy
    // proxy adds calls continuously; waiting for a quiet moment would never reload).
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        void load();
      }, REFRESH_DELAY_MS);
    };
    const offs = [client?.on('trajectory.changed', refresh), client?.on('trajectories.added', refresh)];
    return () => {
      clearTimeout(timer);
      for (const off of offs) off?.();
    };
  }, [client, load]);

  const filtered = Object.values(filters).some(Boolean);
  return (
    <main className="content page" aria-label="Trajectories">
      <header className="page-header">
        <h1>Trajectories</h1>
        <button type="button" className="button" disabled={picked.length !== 2} onClick={() => show({ name: 'compare', left: picked[0], right: picked[1] })}>
          Compare {picked.length}/2
        </button>
      </header>
      <ImportDropZone>
        <Filters />
        {error && <p className="notice notice-error">{error}</p>}
        {result && result.total === 0 && (
          <div className="empty-state">
            <h2>{filtered ? 'No trajectory matches' : 'No trajectories yet'}</h2>
            <p>{filtered ? 'Change or clear the filters above.' : 'Run a runbook from the editor, send a model call through the local API (its URL is in Settings), or import an exported trajectory or a cloud trajectory.json.'}</p>
          </div>
        )}
        {result && result.total > 0 && (
          <>
            <table className="table trajectory-table">
              <thead>
                <tr>
                  <th aria-label="Pick" />
                  <th>Id</th>
                  <th>Runbook</th>
                  <th>Status</th>
                  <th aria-sort={sort === 'newest' ? undefined : sort === 'failed_first' ? 'ascending' : 'descending'}>Evaluation</th>
                  <th>Created</th>
                  <th className="num">Duration</th>
                  <th className="num">Tokens</th>
                  <th>Labels</th>
                </tr>
              </thead>
              <tbody>
                {result.trajectories.map((t) => (
                  <Row key={t.id} t={t} picked={picked.includes(t.id)} onPick={(on) => setPicked((p) => (on ? [...p.filter((x) => x !== t.id), t.id].slice(-2) : p.filter((x) => x !== t.id)))} />
                ))}
              </tbody>
            </table>
            <nav className="pager" aria-label="Pages">
              <button type="button" className="button button-small" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                Previous
              </button>
              <span className="muted" data-total={result.total}>
                Page {result.page} · {result.total.toLocaleString()} trajectories
              </span>
              <button type="button" className="button button-small" disabled={!result.has_more} onClick={() => setPage(page + 1)}>
                Next
              </button>
            </nav>
          </>
        )}
      </ImportDropZone>
    </main>
  );
}
