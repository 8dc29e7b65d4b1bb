import { useEffect, useMemo, useRef, useState, type DragEvent as ReactDragEvent } from 'react';
import { useCommandHandler } from '../commands/registry';
import { ariaCombo, showCombo } from '../commands/keys';
import { allowNotifications } from '../../stores/running';
import { useView } from '../../stores/view';
import type { ExampleInput, Parameter, RunbookAnalysis } from '../../../../shared/runbook';
import type { UploadInfo } from '../../../../shared/uploads';
import { useEditor } from '../../stores/editor';
import { followOnce, liveLog, useLiveRuns } from '../../stores/live-runs';
import { LiveLogView } from './LiveLogView';
import { applyExample } from './example-values';
import { ExampleInputs } from './ExampleInputs';
import { runInput } from './file-choices';
import { FileField } from './FileField';
import { useParamDrafts } from './param-drafts';
import { defaultValues, missingParameters, ParameterForm, type ParamValues } from './ParameterForm';
import { RunStatus } from './RunStatus';
import { SecretsCheck, useSecretStatus } from './SecretsCheck';
import { useDockerStatus } from '../connection/use-docker-status';
import { RunPlanView } from './RunPlanView';
import { imageProblem } from './ImageField';
import { RunImageChoice } from './RunImageChoice';
import { useLocalImages } from './use-local-images';
import { useRunbookAnalysis } from './use-runbook-analysis';
import { useRunPlan } from './use-run-plan';

/** The declared parameters, then a required field for each variable the runbook uses without declaring it (so Run anyway can fill it). */
function withUndeclared(analysis: RunbookAnalysis): Parameter[] {
  const declared = new Set(analysis.parameters.map((p) => p.name));
  const undeclared = analysis.variables.filter((v) => v !== 'results_dir' && !declared.has(v));
  return [...analysis.parameters, ...undeclared.map((name) => ({ name, label: name, default: null, required: true, type: 'text' as const, description: 'Used in the runbook but not declared in its Parameters table.' }))];
}

/** Files dropped elsewhere on the run panel go to its first file field (never opened by the browser in place of the app). */
function dropOnFirstFileField(e: ReactDragEvent, panel: HTMLElement | null) {
  e.preventDefault();
  panel?.querySelector('[data-param-files]')?.dispatchEvent(new DragEvent('drop', { dataTransfer: e.dataTransfer, bubbles: true, cancelable: true }));
}

/** Parameters, secrets, Run/Cancel and the live log of the runbook open in the editor. */
export function RunPanel({ path }: { path: string }) {
  const { analysis, error: analysisError } = useRunbookAnalysis(path);
  // This run's own image (empty: the plan's); a name that is no image name is not sent.
  const [imageDraft, setImageDraft] = useState('');
  useEffect(() => setImageDraft(''), [path]);
  const imageValid = imageProblem(imageDraft) === null;
  const image = imageValid && imageDraft.trim() ? imageDraft.trim() : undefined;
  const localImages = useLocalImages();
  const { plan, error: planError } = useRunPlan(path, analysis, image);
  const { status: docker } = useDockerStatus();
  const [startError, setStartError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const dirty = useEditor((s) => s.dirty);
  const { status: secretStatus, reload: reloadSecrets } = useSecretStatus(analysis?.secrets.map((s) => s.name) ?? []);
  const trajectoryId = useLiveRuns((s) => s.byRunbook[path]);
  const trajectory = useLiveRuns((s) => (trajectoryId ? s.trajectories[trajectoryId] : undefined));
  const version = useLiveRuns((s) => s.version);
  const liveSection = useRef<HTMLElement>(null);
  // After a reload, the runbook's last run (its status and log) is read again.
  useEffect(() => {
    if (trajectoryId) followOnce(trajectoryId);
  }, [trajectoryId]);

  const parameters = analysis ? withUndeclared(analysis) : [];
  const paramKey = parameters.map((p) => `${p.name}=${p.default}`).join('\n');
  // The values typed for this runbook are kept (across navigation and restarts; secrets only for the session).
  const kept = useParamDrafts((s) => s.byRunbook[path]);
  const keptSecrets = useParamDrafts((s) => s.secretsByRunbook[path]);
  const rerunning = useParamDrafts((s) => s.rerunOf[path]);
  const defaults = useMemo(() => defaultValues(parameters), [paramKey]);
  const values = useMemo(() => ({ ...defaults, ...kept, ...keptSecrets }), [defaults, kept, keptSecrets]);
  /** Keeps the fields that changed (only what differs from the defaults, so a runbook's new defaults still show). */
  const setValues = (next: ParamValues) =>
    useParamDrafts.getState().change(path, parameters, Object.fromEntries(Object.entries(next).filter(([k, v]) => v !== values[k])), defaults);
  const pickExample = (example: ExampleInput, uploads: UploadInfo[]) => setValues(applyExample(parameters, values, example, uploads));

  const missingParams = missingParameters(parameters, values);
  const missingSecrets = (analysis?.secrets ?? []).filter((s) => s.required && !secretStatus?.configured[s.name]);
  const running = trajectory?.status === 'running' || trajectory?.status === 'pending';
  const blockers = [
    ...missingParams.map((p) => `parameter ${p.label || p.name}`),
    ...missingSecrets.map((s) => `secret ${s.name}`),
  ];
  const dockerDown = docker?.available === false;
  const lintErrors = plan?.lintErrors ?? 0;
  const canRun = analysis !== null && blockers.length === 0 && !running && !starting && (plan?.problems.length ?? 0) === 0 && !dockerDown && imageValid;

  async function run() {
    if (!analysis || !canRun) return;
    setStarting(true);
    // The first run asks (from this click) whether runs that end unseen may notify.
    void allowNotifications();
    const rerunOf = useParamDrafts.getState().rerunOf[path];
    setStartError(await useLiveRuns.getState().start(path, { ...runInput(parameters, values), runAnyway: lintErrors > 0, image, rerunOf }));
    useParamDrafts.getState().setRerunOf(path, undefined);
    setStarting(false);
    requestAnimationFrame(() => liveSection.current?.scrollIntoView({ block: 'start', behavior: 'smooth' }));
  }

  // Ctrl/Cmd+Enter runs and Alt+R jumps to the first field, from anywhere on this screen,
  // the editor included (commands caught before Monaco, which keeps Tab for indentation).
  const panel = useRef<HTMLElement>(null);
  // Asked to run when it cannot: why not, instead of nothing.
  const whyNot = (): string | null => {
    if (running || starting) return 'A run of this runbook is going on.';
    if (blockers.length > 0) return `Before running, fill in: ${blockers.join(', ')}.`;
    if (plan?.problems.length) return plan.problems.join(' ');
    if (dockerDown) return 'Runs need Docker, which is not reachable.';
    if (!imageValid) return 'The image for this run is not a valid image name.';
    return analysis ? null : 'The runbook is still being read.';
  };
  useCommandHandler('run.start', () => {
    const why = whyNot();
    if (why) setStartError(`Cannot run yet: ${why}`);
    else void run();
  });
  useCommandHandler('run.focus', () => panel.current?.querySelector<HTMLElement>('input, select, textarea, button:not(:disabled)')?.focus());

  const log = trajectoryId ? liveLog(trajectoryId) : null;
  return (
    <aside ref={panel} className="run-panel" aria-label="Run" aria-keyshortcuts="Alt+R" onDragOver={(e) => e.preventDefault()} onDrop={(e) => dropOnFirstFileField(e, panel.current)}>
      <header className="panel-header">
        <h2 title="Alt+R jumps here">Run</h2>
        {plan && (
          <span className="muted small" title="Agent and model this run will use">
            {plan.agent.value ?? plan.agent.runbook} · {plan.model.value}
          </span>
        )}
      </header>
      {(analysisError ?? planError) && <p className="notice notice-error">{analysisError ?? planError}</p>}
      <section className="panel-section" aria-label="Parameters">
        <h3 className="section-title">Parameters</h3>
        {analysis?.examples?.length ? <ExampleInputs runbookPath={path} examples={analysis.examples} onPick={pickExample} /> : null}
        {analysis ? <ParameterForm parameters={parameters} values={values} onChange={setValues} fileField={FileField} /> : <p className="muted">Reading the runbook…</p>}

      </section>
      <section className="panel-section" aria-label="Secrets">
        <h3 className="section-title">Secrets</h3>
        {analysis && <SecretsCheck secrets={analysis.secrets} configured={secretStatus?.configured ?? {}} storage={secretStatus?.storage ?? null} onChanged={() => void reloadSecrets()} />}
      </section>
      <RunImageChoice value={imageDraft} onChange={setImageDraft} images={localImages} planned={image ? null : (plan?.image ?? null)} />
      {plan && <RunPlanView plan={plan} docker={docker} />}
      {lintErrors > 0 && (
        <p className="notice notice-warning run-anyway-note">
          This runbook has {lintErrors} {lintErrors === 1 ? 'error' : 'errors'} (listed under Problems). It may still work, as the cloud would run it: <strong>Run anyway</strong> starts it and notes the errors in the trajectory.
        </p>
      )}
      <div className="run-actions">
        <button type="button" className="button button-primary" disabled={!canRun} onClick={() => void run()} aria-keyshortcuts={ariaCombo('Mod+Enter')}>
          {starting ? 'Starting…' : lintErrors > 0 ? 'Run anyway' : 'Run'} <kbd>{showCombo('Mod+Enter')}</kbd>
        </button>
        {running && trajectoryId && (
          <button type="button" className="button" onClick={() => void useLiveRuns.getState().cancel(trajectoryId)}>
            Cancel
          </button>
        )}
        {(kept || keptSecrets) && (
          <button type="button" className="button" title="Forget the values kept for this runbook" onClick={() => useParamDrafts.getState().forget(path)}>
            Reset to defaults
          </button>
        )}
      </div>
      {rerunning && (
        <p className="muted small rerun-note" data-rerun-of={rerunning}>
          Filled from run <code>{rerunning}</code>: the next run is linked to it as its re-run.
        </p>
      )}
      {blockers.length > 0 && analysis && <p className="run-blockers">Before running, fill in: {blockers.join(', ')}.</p>}
      {dockerDown && <p className="run-blockers">Runs need Docker, which is not reachable at {docker.host} (see the banner above).</p>}
      {dirty && <p className="muted small">The run uses the saved file: save (Ctrl+S) to include your edits.</p>}
      {startError && (
        <p className="notice notice-error" role="alert">
          {startError}
        </p>
      )}
      {trajectory && log && (
        <section ref={liveSection} className="panel-section run-live" aria-label="Current run">
          <button type="button" className="button button-small run-widen" onClick={() => useView.getState().show({ name: 'live', id: trajectory.id })} title="Show this run's log across the window">
            Full width
          </button>
          <RunStatus trajectory={trajectory} liveTokens={log.tokens} progress={log.progress}>
            <LiveLogView lines={log.lines} version={version} />
          </RunStatus>
        </section>
      )}
    </aside>
  );
}
