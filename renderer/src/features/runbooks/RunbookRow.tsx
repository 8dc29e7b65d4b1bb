import { memo, useEffect, useRef } from 'react';
import type { RunbookEntry } from '../../../../shared/runbook';
import { DiagnosticBadges } from '../../components/DiagnosticBadges';
import { FileIcon } from '../../components/Icons';
import { useEditor } from '../../stores/editor';
import { useLiveRuns, type LastRun } from '../../stores/live-runs';
import { isLive, useRunning } from '../../stores/running';
import { useSelection } from '../../stores/selection';
import '../workflows/workflows.css';

/** The counts of the open buffer's diagnostics, as "errors,warnings,infos" (a string, so the row re-renders only when they change). */
const bufferCounts = (diagnostics: { severity: string }[]) =>
  ['error', 'warning', 'info'].map((s) => diagnostics.filter((d) => d.severity === s).length).join(',');

/** The mark of a runbook's run: going on now, or how its last run ended. */
function RunMark({ running, last }: { running: boolean; last: LastRun | undefined }) {
  if (running) {
    return (
      <span className="run-mark is-running" data-run="running" title="Running now" aria-label="running now">
        <span className="running-dot" aria-hidden="true" />
      </span>
    );
  }
  if (!last) return null;
  const failed = last.status !== 'completed' || last.verdict === 'failed';
  const words = `last run ${last.status}${last.verdict === 'none' ? '' : `, evaluation ${last.verdict}`}`;
  return (
    <span className={`run-mark ${failed ? 'is-failed' : 'is-ok'}`} data-run={last.status} data-verdict={last.verdict} title={words} aria-label={words}>
      {failed ? '✕' : '✓'}
    </span>
  );
}

/**
 * One runbook in a collection: name, title, unsaved mark, its run (going on, or how the last
 * one ended), diagnostics (of the unsaved buffer while it is edited); activates to open it.
 * It reads its own selected and unsaved state, so opening or editing a runbook re-renders
 * its row, not the whole list.
 */
export const RunbookRow = memo(function RunbookRow({ runbook, showHints }: { runbook: RunbookEntry; showHints: boolean }) {
  const selected = useSelection((s) => s.path === runbook.path);
  const onOpen = useSelection((s) => s.select);
  const dirty = useEditor((s) => s.dirtyPaths.has(runbook.path));
  const buffer = useEditor((s) => (selected && s.dirtyPaths.has(runbook.path) ? bufferCounts(s.diagnostics) : null));
  const [errors, warnings, infos] = buffer ? buffer.split(',').map(Number) : [runbook.errors, runbook.warnings, runbook.infos];
  const last = useLiveRuns((s) => {
    const id = s.byRunbook[runbook.path];
    return id ? s.lastRuns[id] : undefined;
  });
  const runningHere = useRunning((s) => Object.values(s.runs).some((t) => t.collection === runbook.collection && t.task === runbook.name));
  const running = runningHere || (last !== undefined && isLive(last));
  const button = useRef<HTMLButtonElement>(null);
  // Opened from elsewhere (quick open): the list shows where it is.
  useEffect(() => {
    if (selected) button.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  return (
    <li>
      <button
        ref={button}
        type="button"
        className={`runbook-row${selected ? ' is-selected' : ''}${dirty ? ' is-dirty' : ''}`}
        aria-current={selected ? 'page' : undefined}
        data-runbook={runbook.name}
        data-kind={runbook.kind ?? 'runbook'}
        data-dirty={dirty || undefined}
        data-running={running || undefined}
        title={runbook.path}
        onClick={() => onOpen(runbook.path)}
      >
        <span className="runbook-icon">
          <FileIcon />
        </span>
        <span className="runbook-text">
          <span className="runbook-name">
            {runbook.name}
            {runbook.kind === 'workflow' && <span className="kind-badge">workflow</span>}
            {dirty && (
              <span className="dirty-mark" aria-label="edited, not saved" title="Unsaved changes">
                {' '}●
              </span>
            )}
          </span>
          {runbook.title && runbook.title !== runbook.name && <span className="runbook-title">{runbook.title}</span>}
        </span>
        <RunMark running={running} last={last} />
        <span className="row-badges" data-from={buffer ? 'buffer' : 'disk'}>
          <DiagnosticBadges errors={errors} warnings={warnings} infos={showHints ? infos : 0} />
        </span>
      </button>
    </li>
  );
});
