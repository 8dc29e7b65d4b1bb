import { useCallback, useEffect, useMemo, useState } from 'react';
import type { FileProblems, FolderProblems } from '../../../../shared/problems';
import type { Diagnostic } from '../../../../shared/runbook';
import { DiagnosticBadges } from '../../components/DiagnosticBadges';
import { apiClient } from '../../stores/connection';
import { useEditor } from '../../stores/editor';
import { useReveal } from '../../stores/reveal';
import { useSelection } from '../../stores/selection';
import { useWorkspaces } from '../../stores/workspaces';
import '../editor/editor-ux.css';
import './problems.css';

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** One problem with the file it is in. */
interface Problem {
  file: FileProblems;
  d: Diagnostic;
}

/** The open folders' problems, with the buffer being edited in place of its file on disk (its unsaved text is what the list shows). */
function useFolderProblems() {
  const workspaces = useWorkspaces((s) => s.workspaces);
  const folders = useMemo(() => workspaces.filter((w) => w.kind !== 'deployed').map((w) => w.folder), [workspaces]);
  const [found, setFound] = useState<FolderProblems[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setFound(await Promise.all(folders.map((folder) => apiClient()['lint.problems']({ folder }))));
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    }
  }, [folders]);
  // Reloaded whenever the folders change (a save, a change on disk, a fix: each rescans its folder).
  useEffect(() => void reload(), [reload, workspaces]);
  const open = useSelection((s) => s.path);
  const dirty = useEditor((s) => (open && s.dirtyPaths.has(open) ? s.diagnostics : null));
  const shown = useMemo(
    () => found?.map((f) => ({ ...f, files: f.files.map((file) => (dirty && file.path === open ? { ...file, diagnostics: dirty } : file)) })),
    [found, dirty, open],
  );
  return { folders: shown, error, setError, reload };
}

function ProblemRow({ problem, showFile, onIgnore }: { problem: Problem; showFile: boolean; onIgnore(p: Problem): void }) {
  const { file, d } = problem;
  return (
    <li className="problems-row" data-code={d.code} data-file={file.path}>
      <button type="button" className="problem" data-severity={d.severity} onClick={() => useReveal.getState().open(file.path, d.range.line, d.range.column)}>
        <span className={`problem-icon problem-${d.severity}`} aria-label={d.severity} />
        <span className="problem-message">
          <span className="problem-text">{d.message}</span>
          {d.hint && <small className="problem-hint">{d.hint}</small>}
        </span>
        <span className="problem-where">
          {showFile ? `${file.collection}/${file.name} · ` : `${d.code} · `}line {d.range.line}
        </span>
      </button>
      {file.kind === 'runbook' && d.code.startsWith('RB') && (
        <button type="button" className="button button-small button-quiet" onClick={() => onIgnore(problem)} title={`Add ${d.code} to this runbook's lint_ignore`}>
          Ignore here
        </button>
      )}
    </li>
  );
}

/**
 * Every problem of the open folders, grouped by rule (with "fix all" where the rule has a
 * quick fix, and "ignore in this folder") or by runbook; a problem opens its file at its
 * line, "ignore here" silences its rule in that runbook.
 */
export function ProblemsPage() {
  const { folders, error, setError, reload } = useFolderProblems();
  const [grouping, setGrouping] = useState<'rule' | 'file'>('rule');
  const [note, setNote] = useState<string | null>(null);
  const act = async (work: () => Promise<string>) => {
    try {
      setNote(await work());
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    }
    await reload();
  };
  const ignoreHere = (p: Problem) =>
    void act(async () => {
      await apiClient()['lint.ignore']({ path: p.file.path, code: p.d.code, scope: 'runbook' });
      return `${p.d.code} is ignored in ${p.file.collection}/${p.file.name} (lint_ignore).`;
    });
  const ignoreInFolder = (folder: string, code: string) =>
    void act(async () => {
      const { file } = await apiClient()['lint.ignore']({ path: folder, code, scope: 'folder' });
      return `${code} is ignored in ${folder} (${file}).`;
    });
  const fixAll = (folder: string, code: string) =>
    void act(async () => {
      const { fixed, files } = await apiClient()['lint.fixAll']({ folder, code, skip: [...useEditor.getState().dirtyPaths] });
      return `Fixed ${fixed} ${code} ${fixed === 1 ? 'problem' : 'problems'} in ${files.length} ${files.length === 1 ? 'runbook' : 'runbooks'}.`;
    });

  const total = folders?.reduce((n, f) => n + f.files.reduce((m, file) => m + file.diagnostics.length, 0), 0) ?? 0;
  return (
    <main className="content page problems-page" aria-label="Problems">
      <header className="page-header">
        <h1>Problems</h1>
        <span className="muted" data-total={total}>
          {folders ? `${total} in ${folders.length} ${folders.length === 1 ? 'folder' : 'folders'}` : 'Reading…'}
        </span>
        <span className="spacer" />
        <div className="segmented" role="radiogroup" aria-label="Group problems">
          {(['rule', 'file'] as const).map((g) => (
            <label key={g} className={grouping === g ? 'is-selected' : undefined}>
              <input type="radio" name="problem-grouping" checked={grouping === g} onChange={() => setGrouping(g)} />
              {g === 'rule' ? 'By rule' : 'By runbook'}
            </label>
          ))}
        </div>
      </header>
      {error && <p className="notice notice-error" role="alert">{error}</p>}
      {note && (
        <p className="notice notice-info problems-note" role="status">
          {note}
        </p>
      )}
      {folders?.length === 0 && <p className="muted">No folder is open.</p>}
      {folders?.map((f) => (
        <section key={f.folder} className="problems-folder" aria-label={`Problems in ${f.folder}`}>
          <h2 className="problems-folder-name" title={f.folder}>
            {f.folder}
          </h2>
          {f.files.length === 0 ? (
            <p className="muted">No problems here.</p>
          ) : grouping === 'rule' ? (
            <ByRule folder={f} onFixAll={fixAll} onIgnoreInFolder={ignoreInFolder} onIgnore={ignoreHere} />
          ) : (
            <ByFile folder={f} onIgnore={ignoreHere} />
          )}
        </section>
      ))}
    </main>
  );
}

function ByRule({ folder, onFixAll, onIgnoreInFolder, onIgnore }: { folder: FolderProblems; onFixAll(folder: string, code: string): void; onIgnoreInFolder(folder: string, code: string): void; onIgnore(p: Problem): void }) {
  const rules = useMemo(() => {
    const byCode = new Map<string, Problem[]>();
    for (const file of folder.files) for (const d of file.diagnostics) byCode.set(d.code, [...(byCode.get(d.code) ?? []), { file, d }]);
    return [...byCode.entries()].sort(([a, pa], [b, pb]) => SEVERITY_ORDER[pa[0].d.severity] - SEVERITY_ORDER[pb[0].d.severity] || a.localeCompare(b));
  }, [folder]);
  return (
    <>
      {rules.map(([code, problems]) => {
        const fixable = problems.filter((p) => p.d.fix && p.file.kind === 'runbook').length;
        const files = new Set(problems.map((p) => p.file.path)).size;
        return (
          <section key={code} className="problems-group" data-rule={code} aria-label={`${code}: ${folder.rules[code] ?? ''}`}>
            <header className="problems-group-header">
              <span className={`problem-icon problem-${problems[0].d.severity}`} aria-label={problems[0].d.severity} />
              <strong>{code}</strong>
              <span className="problems-rule-title">{folder.rules[code] || problems[0].d.message}</span>
              <span className="muted small">
                {problems.length} in {files} {files === 1 ? 'file' : 'files'}
              </span>
              <span className="spacer" />
              {fixable > 0 && (
                <button type="button" className="button button-small button-primary" onClick={() => onFixAll(folder.folder, code)}>
                  Fix all ({fixable})
                </button>
              )}
              {code.startsWith('RB') && (
                <button type="button" className="button button-small" onClick={() => onIgnoreInFolder(folder.folder, code)} title={`Add ${code} to this folder's .jettylintrc.json`}>
                  Ignore in this folder
                </button>
              )}
            </header>
            <ul className="problems-list">
              {problems.map((p, i) => (
                <ProblemRow key={`${p.file.path}-${p.d.range.line}-${i}`} problem={p} showFile onIgnore={onIgnore} />
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}

function ByFile({ folder, onIgnore }: { folder: FolderProblems; onIgnore(p: Problem): void }) {
  return (
    <>
      {folder.files.map((file) => {
        const count = (s: string) => file.diagnostics.filter((d) => d.severity === s).length;
        const sorted = [...file.diagnostics].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.range.line - b.range.line);
        return (
          <section key={file.path} className="problems-group" data-file-group={file.path} aria-label={`${file.collection}/${file.name}`}>
            <header className="problems-group-header">
              <strong>
                <span className="muted">{file.collection}/</span>
                {file.name}
              </strong>
              {file.kind === 'workflow' && <span className="kind-badge">workflow</span>}
              <span className="spacer" />
              <DiagnosticBadges errors={count('error')} warnings={count('warning')} infos={count('info')} />
            </header>
            <ul className="problems-list">
              {sorted.map((d, i) => (
                <ProblemRow key={`${d.code}-${d.range.line}-${i}`} problem={{ file, d }} showFile={false} onIgnore={onIgnore} />
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}
