import { useEffect, useState } from 'react';
import { apiClient, useConnection } from '../../stores/connection';
import { useView } from '../../stores/view';
import { StatusPill } from '../../components/StatusPill';
import type { TrajectoryStatus } from '../../../../shared/trajectory';
import { messageOf } from './cloud-store';
import { useRemote } from './use-remote';

const PAGE = 20;
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

function WebLink({ href }: { href: string | null | undefined }) {
  if (!href) return null;
  return (
    <a className="cloud-web-link" href={href} target="_blank" rel="noreferrer">
      open on the web
    </a>
  );
}

/** Pulls a task into the local store; progress counts the trajectories stored so far (`trajectories.added`). */
function PullButton({ collection, task, onPulled }: { collection: string; task: string; onPulled(): void }) {
  const client = useConnection((s) => s.client);
  const [pulling, setPulling] = useState(false);
  const [stored, setStored] = useState(0);
  const [result, setResult] = useState<string | null>(null);
  useEffect(() => (pulling ? client?.on('trajectories.added', ({ ids }) => setStored((n) => n + ids.length)) : undefined), [client, pulling]);
  async function pull() {
    setPulling(true);
    setStored(0);
    setResult(null);
    try {
      const r = await apiClient()['cloud.pull']({ collection, task });
      setResult(`Pulled: ${r.added.length} new, ${r.refreshed.length} refreshed, ${r.unchanged} unchanged, ${r.labelsAdded} label(s) added.`);
      onPulled();
    } catch (err) {
      setResult(messageOf(err));
    } finally {
      setPulling(false);
    }
  }
  return (
    <div className="cloud-pull">
      <button type="button" className="button" disabled={pulling} onClick={() => void pull()}>
        {pulling ? `Pulling… ${stored} stored` : 'Pull into the local store'}
      </button>
      {result && (
        <span className="muted small" role="status" data-pull-result>
          {result}
        </span>
      )}
    </div>
  );
}

function Stats({ stats }: { stats: Record<string, unknown> }) {
  const entries = Object.entries(stats).filter(([, v]) => typeof v === 'number' || typeof v === 'string');
  if (entries.length === 0) return null;
  return (
    <dl className="cloud-stats">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k.replace(/_/g, ' ')}</dt>
          <dd>{typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : str(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A task's trajectories, a page at a time, with stats, web links and the local copy (open it in replay). */
function TaskTrajectories({ collection, task }: { collection: string; task: string }) {
  const [page, setPage] = useState(1);
  const show = useView((s) => s.show);
  const list = useRemote(() => apiClient()['cloud.trajectories']({ collection, task, page, limit: PAGE }), `${collection}/${task}/${page}`);
  const stats = useRemote(() => apiClient()['cloud.stats']({ collection, task }), `${collection}/${task}`);
  const answer = list.value;
  return (
    <section className="cloud-trajectories" aria-label={`Trajectories of ${collection}/${task}`}>
      <header className="cloud-card-header">
        <h3 className="section-title">
          {collection}/{task}
        </h3>
        <PullButton collection={collection} task={task} onPulled={() => void list.reload()} />
      </header>
      {stats.value && <Stats stats={stats.value} />}
      {list.error && <p className="notice notice-error">{list.error}</p>}
      {answer && answer.trajectories.length === 0 && <p className="muted">No trajectories yet.</p>}
      {answer && answer.trajectories.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Trajectory</th>
              <th>Status</th>
              <th>Created</th>
              <th>Local copy</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {answer.trajectories.map((t) => {
              const id = str(t.trajectory_id ?? t.id);
              return (
                <tr key={id} data-remote-trajectory={id}>
                  <td>
                    <code>{id}</code>
                  </td>
                  <td>
                    <StatusPill status={str(t.status) as TrajectoryStatus} />
                  </td>
                  <td className="muted">{str(t.created_at)}</td>
                  <td>
                    {t.local_id ? (
                      <button type="button" className="link-button" onClick={() => show({ name: 'replay', id: t.local_id! })}>
                        Open replay ({t.local_id})
                      </button>
                    ) : (
                      <span className="muted">not pulled</span>
                    )}
                  </td>
                  <td>
                    <WebLink href={t.web_link} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {answer && (answer.page > 1 || answer.has_more) && (
        <div className="cloud-pager">
          <button type="button" className="button button-small" disabled={answer.page <= 1} onClick={() => setPage(answer.page - 1)}>
            Previous
          </button>
          <span className="muted small">
            page {answer.page} · {answer.total} in all
          </span>
          <button type="button" className="button button-small" disabled={!answer.has_more} onClick={() => setPage(answer.page + 1)}>
            Next
          </button>
        </div>
      )}
    </section>
  );
}

/** The trial of a collection in the seed's words ("Trial run U/L — M minutes remaining"; a warning at 2 or fewer). */
export function TrialLines({ lines }: { lines: string[] }) {
  return (
    <>
      {lines.map((line) => (
        <p key={line} className={`notice ${line.startsWith('Warning') ? 'notice-warning' : 'notice-info'} cloud-trial`} data-trial>
          {line}
        </p>
      ))}
    </>
  );
}

/** Collections → tasks → trajectories of the remote. `version` re-reads them (after a deploy). */
export function Browse({ version }: { version: number }) {
  const [collection, setCollection] = useState<string | null>(null);
  const [task, setTask] = useState<string | null>(null);
  const collections = useRemote(() => apiClient()['cloud.collections']({}), `collections/${version}`);
  const tasks = useRemote(collection ? () => apiClient()['cloud.tasks']({ collection }) : null, `${collection}/${version}`);
  const trial = useRemote(collection ? () => apiClient()['cloud.trial']({ collection }) : null, `trial/${collection}/${version}`);
  return (
    <section className="cloud-card cloud-browse" aria-label="Browse the remote">
      <h2 className="section-title">Browse</h2>
      {collections.error && <p className="notice notice-error">{collections.error}</p>}
      <div className="cloud-columns">
        <ul className="cloud-list" aria-label="Collections">
          {collections.value?.length === 0 && <li className="muted">No collections yet: deploy a runbook to create one.</li>}
          {collections.value?.map((c) => (
            <li key={str(c.name)} data-cloud-collection={str(c.name)}>
              <button type="button" className={`cloud-item${collection === c.name ? ' is-current' : ''}`} onClick={() => (setCollection(str(c.name)), setTask(null))}>
                {str(c.name)}
              </button>
              <WebLink href={c.web_link} />
            </li>
          ))}
        </ul>
        {collection && (
          <div>
            <TrialLines lines={trial.value?.lines ?? []} />
            {tasks.error && <p className="notice notice-error">{tasks.error}</p>}
            <ul className="cloud-list" aria-label="Tasks">
              {tasks.value?.length === 0 && <li className="muted">No tasks in {collection}.</li>}
              {tasks.value?.map((t) => (
                <li key={str(t.name)} data-cloud-task={str(t.name)}>
                  <button type="button" className={`cloud-item${task === t.name ? ' is-current' : ''}`} onClick={() => setTask(str(t.name))}>
                    {str(t.name)}
                  </button>
                  <WebLink href={t.web_link} />
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      {collection && task && <TaskTrajectories key={`${collection}/${task}`} collection={collection} task={task} />}
    </section>
  );
}
