import { useId, useState } from 'react';
import { KNOWN_AGENTS } from '../../../../shared/agents';
import { EVALUATION_LIMITS, type Executor } from '../../../../shared/evaluations';
import { apiClient } from '../../stores/connection';

interface CellDraft {
  agent: string;
  model: string;
  executor: Executor;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** `name=value` lines as parameters; a line that is not one is reported by its number. */
export function parseParams(text: string): { params: Record<string, string>; problem: string | null } {
  const params: Record<string, string> = {};
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    const at = line.indexOf('=');
    if (at <= 0) return { params, problem: `line ${i + 1}: write name=value` };
    params[line.slice(0, at).trim()] = line.slice(at + 1);
  }
  return { params, problem: null };
}

/** Starts an evaluation of the runbook: its matrix (agent × model cells, each here or on the remote), trials per cell, concurrency, parameters or the manifest's examples. */
export function NewEvaluationForm({ runbookPath, onStarted }: { runbookPath: string; onStarted(id: string): void }) {
  const id = useId();
  const [cells, setCells] = useState<CellDraft[]>([{ agent: '', model: '', executor: 'local' }]);
  const [trials, setTrials] = useState(3);
  const [concurrency, setConcurrency] = useState('');
  const [params, setParams] = useState('');
  const [useExamples, setUseExamples] = useState(false);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const parsed = parseParams(params);
  const total = cells.length * trials;

  const setCell = (index: number, patch: Partial<CellDraft>) => setCells(cells.map((c, i) => (i === index ? { ...c, ...patch } : c)));
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const k = concurrency.trim() ? Number(concurrency) : undefined;
      const started = await apiClient()['evaluation.start']({
        runbookPath,
        name: name.trim() || undefined,
        cells: cells.map((c) => ({ agent: c.agent || null, model: c.model.trim() || null, executor: c.executor })),
        trials,
        concurrency: k === undefined ? undefined : { local: k, remote: k },
        params: parsed.params,
        cases: useExamples ? 'examples' : undefined,
      });
      onStarted(started.id);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="eval-card eval-new" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="section-title">
        New evaluation
      </h2>
      <fieldset className="eval-matrix">
        <legend>Matrix: one cell per agent × model</legend>
        {cells.map((cell, index) => (
          <div key={index} className="eval-cell-row" data-cell={index}>
            <label className="eval-cell-agent">
              <span className="visually-hidden">Agent of cell {index + 1}</span>
              <select className="text-input" value={cell.agent} onChange={(e) => setCell(index, { agent: e.target.value })}>
                <option value="">default</option>
                {KNOWN_AGENTS.map((a) => (
                  <option key={a}>{a}</option>
                ))}
              </select>
            </label>
            <label className="eval-cell-model">
              <span className="visually-hidden">Model of cell {index + 1}</span>
              <input className="text-input" placeholder="model (default)" value={cell.model} onChange={(e) => setCell(index, { model: e.target.value })} />
            </label>
            <label className="eval-cell-executor">
              <span className="visually-hidden">Where cell {index + 1} runs</span>
              <select className="text-input" value={cell.executor} onChange={(e) => setCell(index, { executor: e.target.value as Executor })}>
                <option value="local">here</option>
                <option value="remote">remote Jetty</option>
              </select>
            </label>
            <button type="button" className="button button-small button-quiet eval-cell-remove" aria-label={`Remove cell ${index + 1}`} disabled={cells.length === 1} onClick={() => setCells(cells.filter((_, i) => i !== index))}>
              ✕
            </button>
          </div>
        ))}
        <button type="button" className="button button-small" disabled={cells.length >= EVALUATION_LIMITS.cells} onClick={() => setCells([...cells, { ...cells[cells.length - 1] }])}>
          Add cell
        </button>
      </fieldset>
      <div className="eval-numbers">
        <label className="filter" htmlFor={`${id}-trials`}>
          <span>Trials per cell</span>
          <input id={`${id}-trials`} className="text-input" type="number" min={1} max={EVALUATION_LIMITS.trialsPerCell} value={trials} onChange={(e) => setTrials(Math.max(1, Math.min(EVALUATION_LIMITS.trialsPerCell, Number(e.target.value) || 1)))} />
        </label>
        <label className="filter" htmlFor={`${id}-concurrency`}>
          <span>At once</span>
          <input id={`${id}-concurrency`} className="text-input" type="number" min={1} max={EVALUATION_LIMITS.concurrency} placeholder="auto" value={concurrency} onChange={(e) => setConcurrency(e.target.value)} />
        </label>
        <label className="filter" htmlFor={`${id}-name`}>
          <span>Name</span>
          <input id={`${id}-name`} className="text-input" placeholder="optional" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
      </div>
      <label className="filter eval-params" htmlFor={`${id}-params`}>
        <span>Parameters (name=value, one a line; the runbook’s defaults for the rest)</span>
        <textarea id={`${id}-params`} className="text-input" rows={3} value={params} onChange={(e) => setParams(e.target.value)} />
      </label>
      <label className="eval-check">
        <input type="checkbox" checked={useExamples} onChange={(e) => setUseExamples(e.target.checked)} /> Run each of the manifest’s example inputs as a case
      </label>
      {parsed.problem && <p className="field-error">Parameters, {parsed.problem}</p>}
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      <div className="eval-actions">
        <button type="button" className="button button-primary" disabled={busy || parsed.problem !== null} onClick={() => void start()}>
          {busy ? 'Starting…' : `Evaluate: ${total} trial${total === 1 ? '' : 's'}${useExamples ? ' per case' : ''}`}
        </button>
      </div>
    </section>
  );
}
