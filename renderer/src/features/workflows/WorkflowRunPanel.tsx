import { useEffect, useMemo, useState } from 'react';
import { apiClient } from '../../stores/connection';
import { useLiveRuns } from '../../stores/live-runs';
import { useView } from '../../stores/view';
import { defaultValues, ParameterForm, type ParamValues } from '../run/ParameterForm';
import { StepGraph, useWorkflowRun } from '../replay/StepGraph';
import { initParamFields, initParamValues } from './init-params';

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The init params of a workflow file's text (a task document's workflow, or the document), or null when it is not JSON. */
function initParamsOf(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as { workflow?: { init_params?: unknown }; init_params?: unknown };
    const params = (typeof value.workflow === 'object' && value.workflow !== null ? value.workflow : value).init_params;
    return typeof params === 'object' && params !== null && !Array.isArray(params) ? (params as Record<string, unknown>) : {};
  } catch {
    return null;
  }
}

/** Runs the saved workflow with parameters from its init_params, and follows the run's step graph live. */
export function WorkflowRunPanel({ path, savedText }: { path: string; savedText: string | null }) {
  const initParams = useMemo(() => initParamsOf(savedText), [savedText]);
  const parameters = useMemo(() => initParamFields(initParams ?? {}), [initParams]);
  const [values, setValues] = useState<ParamValues>({});
  // The file's latest run, kept across navigation and reloads (a run ending here is seen, not announced).
  const runId = useLiveRuns((s) => s.byRunbook[path]) ?? null;
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { view } = useWorkflowRun(runId);
  const show = useView((s) => s.show);
  useEffect(() => setValues((old) => ({ ...defaultValues(parameters), ...old })), [parameters]);

  const running = view?.status === 'running' || (runId !== null && !view);
  async function run() {
    if (!initParams) return;
    setError(null);
    setStarting(true);
    try {
      const { trajectoryId } = await apiClient()['workflow.start']({ path, init_params: initParamValues(initParams, values) });
      useLiveRuns.getState().track(path, trajectoryId);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setStarting(false);
    }
  }

  return (
    <aside className="run-panel" aria-label="Run">
      <header className="panel-header">
        <h2>Run workflow</h2>
      </header>
      <section className="panel-section" aria-label="Parameters">
        <h3 className="section-title">Parameters</h3>
        {initParams === null ? (
          <p className="muted">{savedText === null ? 'Reading the workflow…' : 'The saved file is not valid JSON.'}</p>
        ) : (
          <ParameterForm parameters={parameters} values={values} onChange={setValues} variableOf={(name) => `init_params.${name}`} emptyText="This workflow has no init_params." />
        )}
      </section>
      <div className="run-actions">
        <button type="button" className="button button-primary" disabled={initParams === null || starting || running} onClick={() => void run()}>
          {starting ? 'Starting…' : 'Run'}
        </button>
        {running && runId && (
          <button type="button" className="button" onClick={() => void apiClient()['workflow.cancel']({ trajectoryId: runId })}>
            Cancel
          </button>
        )}
        {runId && (
          <button type="button" className="button button-quiet" onClick={() => show({ name: 'replay', id: runId })}>
            Open replay
          </button>
        )}
      </div>
      <p className="muted small">The run uses the saved file: save (Ctrl+S) to include your edits.</p>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {view && (
        <section className="panel-section run-live" aria-label="Current run">
          <StepGraph view={view} onOpenRun={(id) => show({ name: 'replay', id })} />
        </section>
      )}
    </aside>
  );
}
