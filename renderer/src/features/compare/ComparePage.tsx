import { useEffect, useState } from 'react';
import './compare.css';
import type { Trajectory } from '../../../../shared/trajectory';
import { verdictLabel } from '../../../../shared/evaluation';
import { StatusPill } from '../../components/StatusPill';
import { apiClient } from '../../stores/connection';
import { useView } from '../../stores/view';
import { formatBytes } from '../artifacts/ArtifactList';
import { formatSpan } from '../run/use-elapsed';
import { EvaluationSummary } from '../trajectories/EvaluationSummary';
import { alignArtifacts, alignSteps, stepDuration, type AlignedArtifact } from './align';
import { ParamTable } from './ParamTable';
import { TextDiff } from './TextDiff';
import { ToolCallTable } from './ToolCallTable';

const isText = (a: AlignedArtifact) => /^(text\/|application\/(json|xml|x-yaml|yaml))/.test((a.left ?? a.right)?.media_type ?? '');

/** Picks a trajectory for one side from the most recent ones. */
function Picker({ label, value, options, onPick }: { label: string; value: string | null; options: Trajectory[]; onPick(id: string): void }) {
  return (
    <label className="filter">
      <span>{label}</span>
      <select className="text-input" value={value ?? ''} onChange={(e) => onPick(e.target.value)}>
        <option value="">Choose a trajectory…</option>
        {options.map((t) => (
          <option key={t.id} value={t.id}>
            {t.id} · {t.collection}/{t.task} · {t.status} · {verdictLabel(t.evaluation)}
          </option>
        ))}
      </select>
    </label>
  );
}

function useTrajectory(id: string | null) {
  const [t, setT] = useState<Trajectory | null>(null);
  useEffect(() => {
    setT(null);
    if (id) void apiClient()['trajectory.get']({ id }).then(setT);
  }, [id]);
  return t;
}

function Side({ t }: { t: Trajectory }) {
  return (
    <div className="compare-side">
      <div>
        <code>{t.id}</code> <StatusPill status={t.status} />
      </div>
      <div className="muted small">
        {t.collection}/{t.task} · {t.agent ?? '—'} · {t.model ?? '—'} · {t.usage ? `${t.usage.total_tokens.toLocaleString()} tokens` : 'no usage'}
      </div>
      <EvaluationSummary evaluation={t.evaluation} />
    </div>
  );
}

/** Two trajectories side by side: parameters, tool calls and steps aligned, evaluations, result files diffed. */
export function ComparePage({ left, right }: { left: string | null; right: string | null }) {
  const show = useView((s) => s.show);
  const [recent, setRecent] = useState<Trajectory[]>([]);
  const [openDiff, setOpenDiff] = useState<string | null>(null);
  const a = useTrajectory(left);
  const b = useTrajectory(right);
  useEffect(() => void apiClient()['trajectory.list']({ limit: 100 }).then((r) => setRecent(r.trajectories)), []);

  return (
    <main className="content page" aria-label="Compare trajectories">
      <header className="page-header">
        <h1>Compare</h1>
      </header>
      <div className="compare-pickers">
        <Picker label="Left" value={left} options={recent} onPick={(id) => show({ name: 'compare', left: id || null, right })} />
        <Picker label="Right" value={right} options={recent} onPick={(id) => show({ name: 'compare', left, right: id || null })} />
      </div>
      {!(a && b) ? (
        <div className="empty-state">
          <h2>Pick two trajectories</h2>
          <p>Choose them above, or tick two rows in the Trajectories list and press Compare.</p>
        </div>
      ) : (
        <>
          <div className="compare-grid">
            <Side t={a} />
            <Side t={b} />
          </div>
          <h2 className="section-title">Parameters</h2>
          <ParamTable a={a} b={b} />
          <h2 className="section-title">Tool calls</h2>
          <ToolCallTable a={a} b={b} />
          <h2 className="section-title">Steps</h2>
          <table className="table compare-steps">
            <thead>
              <tr>
                <th>Step</th>
                <th>{a.id}</th>
                <th>{b.id}</th>
              </tr>
            </thead>
            <tbody>
              {alignSteps(a, b).map((s) => (
                <tr key={s.name} data-step={s.name} className={s.left?.status !== s.right?.status ? 'row-differs' : undefined}>
                  <td>{s.name}</td>
                  {[s.left, s.right].map((step, i) => (
                    <td key={i}>
                      {step ? (
                        <>
                          <StatusPill status={step.status} /> <span className="muted">{stepDuration(step) === null ? '' : formatSpan(stepDuration(step)!)}</span>
                        </>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <h2 className="section-title">Result files</h2>
          {a.artifacts.length + b.artifacts.length === 0 && <p className="muted">Neither run has result files.</p>}
          <ul className="compare-artifacts">
            {alignArtifacts(a, b).map((art) => (
              <li key={art.path} data-artifact={art.path} data-comparison={art.comparison}>
                <div className="compare-artifact-row">
                  <code>{art.path}</code>
                  <span className={`pill ${art.comparison === 'same' ? 'pill-ok' : 'pill-warning'}`}>{art.comparison.replace('-', ' ')}</span>
                  <span className="muted small">
                    {art.left ? formatBytes(art.left.size) : '—'} → {art.right ? formatBytes(art.right.size) : '—'}
                  </span>
                  {art.comparison === 'different' && isText(art) && (
                    <button type="button" className="button button-small" aria-expanded={openDiff === art.path} onClick={() => setOpenDiff(openDiff === art.path ? null : art.path)}>
                      {openDiff === art.path ? 'Hide diff' : 'Show diff'}
                    </button>
                  )}
                </div>
                {openDiff === art.path && <TextDiff leftId={a.id} rightId={b.id} path={art.path} />}
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}
