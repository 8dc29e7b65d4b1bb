import './evaluation.css';
import { Fragment, useEffect, useId, useRef, useState } from 'react';
import type { MethodOutput } from '../../../../shared/contract';
import { EvaluationVerdictSchema, type EvaluationVerdict, type TrajectorySort } from '../../../../shared/evaluation';
import { TrajectoryStatusSchema, type Trajectory } from '../../../../shared/trajectory';
import type { SearchHit, TrajectoryOrder, TrajectoryOriginRef } from '../../../../shared/trajectory-search';
import { EvaluationBadge, VerdictIcon } from '../../components/EvaluationBadge';
import { StatusPill } from '../../components/StatusPill';
import { apiClient, useConnection } from '../../stores/connection';
import { useTrajectoryList, type ListFilters } from '../../stores/trajectory-list';
import { useView } from '../../stores/view';
import { useCommandHandler } from '../commands/registry';
import { formatSpan } from '../run/use-elapsed';
import { MAX_COMPARED } from '../compare/align';
import { ImportDropZone } from './ImportButton';
import { MarkedWords } from './MarkedWords';
import { OriginBadge } from './OriginBadge';

const REFRESH_DELAY_MS = 400;

const SORTS: Record<TrajectorySort, string> = { newest: 'Newest first', failed_first: 'Failed first', passed_first: 'Passed first' };
const FILTER_WORDS: Record<EvaluationVerdict | 'any', string> = { any: 'Any', passed: 'Passed', failed: 'Failed', none: 'No evaluation' };
const LINK_WORDS = { call: 'model call', child: 'child workflow', runbook: 'runbook run', rerun: 're-run' } as const;

type Facets = MethodOutput<'trajectory.facets'>;

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

/** The local day a date input shows, as the ISO time it starts (or, for `until`, the next day starts). */
const dayBound = (day: string, next: boolean) => {
  const d = new Date(`${day}T00:00:00`);
  if (next) d.setDate(d.getDate() + 1);
  return d.toISOString();
};
const dayOf = (iso: string | undefined, next: boolean) => {
  if (!iso) return '';
  const d = new Date(iso);
  if (next) d.setDate(d.getDate() - 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

function Filters({ facets }: { facets: Facets | null }) {
  const { filters, setFilters, sort, setSort } = useTrajectoryList();
  const id = useId();
  const search = useRef<HTMLInputElement>(null);
  useCommandHandler('trajectories.search', () => search.current?.focus());
  const text = (key: keyof ListFilters, label: string, placeholder: string, list?: string) => (
    <label className="filter" htmlFor={`${id}-${key}`}>
      <span>{label}</span>
      <input
        id={`${id}-${key}`}
        className="text-input"
        type="search"
        list={list}
        placeholder={placeholder}
        value={(filters[key] as string | undefined) ?? ''}
        onChange={(e) => setFilters({ ...filters, [key]: e.target.value || undefined })}
      />
    </label>
  );
  const choice = (key: 'agent' | 'model', label: string, options: string[]) => (
    <label className="filter" htmlFor={`${id}-${key}`}>
      <span>{label}</span>
      <select id={`${id}-${key}`} className="text-input" value={filters[key] ?? ''} onChange={(e) => setFilters({ ...filters, [key]: e.target.value || undefined })}>
        <option value="">any</option>
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    </label>
  );
  const day = (key: 'since' | 'until', label: string) => (
    <label className="filter" htmlFor={`${id}-${key}`}>
      <span>{label}</span>
      <input
        id={`${id}-${key}`}
        className="text-input"
        type="date"
        value={dayOf(filters[key], key === 'until')}
        onChange={(e) => setFilters({ ...filters, [key]: e.target.value ? dayBound(e.target.value, key === 'until') : undefined })}
      />
    </label>
  );
  return (
    <div className="filters" role="search" aria-label="Filter trajectories">
      <label className="filter filter-search" htmlFor={`${id}-text`}>
        <span>Search</span>
        <input
          ref={search}
          id={`${id}-text`}
          className="text-input"
          type="search"
          placeholder="words in events, tool calls, outputs, prompts, result files"
          value={filters.text ?? ''}
          onChange={(e) => setFilters({ ...filters, text: e.target.value || undefined })}
        />
      </label>
      {text('collection', 'Collection', 'any')}
      {text('task', 'Runbook', 'any')}
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
      {choice('agent', 'Agent', facets?.agents ?? [])}
      {choice('model', 'Model', facets?.models ?? [])}
      {text('label', 'Label', 'key or key=value', `${id}-labels`)}
      <datalist id={`${id}-labels`}>
        {facets?.labels.map((l) => (
          <option key={l} value={l} />
        ))}
      </datalist>
      {day('since', 'From')}
      {day('until', 'To')}
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

/** A column header that sorts by its column (again: the other way). */
function SortHeader({ column, label, className }: { column: TrajectoryOrder; label: string; className?: string }) {
  const { orderBy, direction, sort, sortBy } = useTrajectoryList();
  // The Sort menu's verdict orders are the evaluation column's.
  const bySort = orderBy === null && column === 'evaluation' && sort !== 'newest' ? (sort === 'failed_first' ? 'ascending' : 'descending') : undefined;
  const current = orderBy === column ? (direction === 'asc' ? 'ascending' : 'descending') : bySort;
  return (
    <th className={className} aria-sort={current}>
      <button type="button" className="sort-header" data-column={column} title={`Sort by ${label.toLowerCase()}`} onClick={() => sortBy(column)}>
        {label}
      </button>
    </th>
  );
}

/** Where a search matched a run: the text around it, marked; activating it opens the replay at that event. */
function HitLine({ t, hit, words, colSpan }: { t: Trajectory; hit: SearchHit; words: string; colSpan: number }) {
  const show = useView((s) => s.show);
  return (
    <tr className="hit-row" data-hit-for={t.id}>
      <td />
      <td colSpan={colSpan}>
        <button type="button" className="hit" data-where={hit.where} data-seq={hit.seq ?? undefined} onClick={() => show({ name: 'replay', id: t.id, ...(hit.seq ? { seq: hit.seq } : {}) })}>
          <span className="hit-label">{hit.label}</span>
          {hit.snippet && (
            <span className="hit-snippet">
              <MarkedWords text={hit.snippet} words={words} />
            </span>
          )}
        </button>
      </td>
    </tr>
  );
}

function Cells({ t, origin }: { t: Trajectory; origin?: TrajectoryOriginRef }) {
  const show = useView((s) => s.show);
  const duration = t.started_at && t.ended_at ? formatSpan(Date.parse(t.ended_at) - Date.parse(t.started_at)) : '—';
  return (
    <>
      <td>
        <button type="button" className="link-button" onClick={() => show({ name: 'replay', id: t.id })}>
          <code>{t.id}</code>
        </button>
        {origin && <OriginBadge origin={origin} />}
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
      <td className="muted small agent-cell">{[t.agent, t.model].filter(Boolean).join(' · ') || '—'}</td>
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
    </>
  );
}

const COLUMNS = 9;

/** The runs nested under a workflow, read when it is unfolded. */
function NestedRows({ id, depth }: { id: string; depth: number }) {
  const [children, setChildren] = useState<MethodOutput<'trajectory.children'> | null>(null);
  useEffect(() => void apiClient()['trajectory.children']({ id }).then(setChildren), [id]);
  if (!children) {
    return (
      <tr className="nested-row">
        <td />
        <td colSpan={COLUMNS} className="muted">
          Reading the runs under {id}…
        </td>
      </tr>
    );
  }
  return (
    <>
      {children.children.map(({ trajectory, kind, step }) => (
        <tr key={trajectory.id} className="nested-row" data-trajectory={trajectory.id} data-parent={id} data-link={kind} style={{ ['--depth' as string]: depth }}>
          <td className="nested-kind muted small">{step ? `${step} · ` : ''}{LINK_WORDS[kind]}</td>
          <Cells t={trajectory} />
        </tr>
      ))}
      {children.total > children.children.length && (
        <tr className="nested-row">
          <td />
          <td colSpan={COLUMNS} className="muted small">
            … and {children.total - children.children.length} more (open {id} to see them all).
          </td>
        </tr>
      )}
    </>
  );
}

function Row({ t, page, picked, onPick }: { t: Trajectory; page: MethodOutput<'trajectory.list'>; picked: boolean; onPick(on: boolean): void }) {
  const [open, setOpen] = useState(false);
  const nested = page.children?.[t.id] ?? 0;
  const hit = page.hits?.[t.id];
  const words = useTrajectoryList((s) => s.filters.text ?? '');
  return (
    <>
      <tr data-trajectory={t.id} data-nested={nested || undefined}>
        <td className="pick-cell">
          <input type="checkbox" aria-label={`Pick ${t.id} to compare`} checked={picked} onChange={(e) => onPick(e.target.checked)} />
          {nested > 0 && (
            <button type="button" className="nest-toggle" aria-expanded={open} aria-label={`${open ? 'Hide' : 'Show'} the ${nested} runs under ${t.id}`} onClick={() => setOpen(!open)}>
              {open ? '▾' : '▸'} {nested}
            </button>
          )}
        </td>
        <Cells t={t} origin={page.origins?.[t.id]} />
      </tr>
      {hit && <HitLine t={t} hit={hit} words={words} colSpan={COLUMNS} />}
      {open && <NestedRows id={t.id} depth={1} />}
    </>
  );
}

/** Every trajectory in the data folder: full-text search, filters, sortable columns, paging, import, pick runs to compare. */
export function TrajectoriesPage() {
  const { result, error, page, setPage, load, filters } = useTrajectoryList();
  const client = useConnection((s) => s.client);
  const show = useView((s) => s.show);
  const [picked, setPicked] = useState<string[]>([]);
  const [facets, setFacets] = useState<Facets | null>(null);

  useEffect(() => void load(), [load]);
  useEffect(() => void apiClient()['trajectory.facets']({}).then(setFacets), []);
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
        <button type="button" className="button" disabled={picked.length < 2} title={`Pick 2 to ${MAX_COMPARED} runs to compare them side by side`} onClick={() => show({ name: 'compare', ids: picked })}>
          Compare {picked.length} runs
        </button>
      </header>
      <ImportDropZone>
        <Filters facets={facets} />
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
                  <SortHeader column="runbook" label="Runbook" />
                  <SortHeader column="status" label="Status" />
                  <SortHeader column="evaluation" label="Evaluation" />
                  <th>Agent · model</th>
                  <SortHeader column="created" label="Created" />
                  <SortHeader column="duration" label="Duration" className="num" />
                  <SortHeader column="tokens" label="Tokens" className="num" />
                  <th>Labels</th>
                </tr>
              </thead>
              <tbody>
                {result.trajectories.map((t) => (
                  <Fragment key={t.id}>
                    <Row t={t} page={result} picked={picked.includes(t.id)} onPick={(on) => setPicked((p) => (on ? [...p.filter((x) => x !== t.id), t.id].slice(-MAX_COMPARED) : p.filter((x) => x !== t.id)))} />
                  </Fragment>
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
