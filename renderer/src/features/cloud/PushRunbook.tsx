import { useEffect, useMemo, useState } from 'react';
import type { CloudAuditHit } from '../../../../shared/cloud';
import { apiClient } from '../../stores/connection';
import { useSelection } from '../../stores/selection';
import { useWorkspaces } from '../../stores/workspaces';
import { messageOf } from './cloud-store';
import { AuditBlocks, SecretPreflight, type PreflightResult } from './Preflight';
import { RemoteRun } from './RemoteRun';

/** Deploy a runbook of the open folders (the one open in the editor first) after the secret preflight and audit, or run it remotely. */
export function PushRunbook({ onDeployed }: { onDeployed(): void }) {
  const workspaces = useWorkspaces((s) => s.workspaces);
  const runbooks = useMemo(() => workspaces.flatMap((w) => w.runbooks), [workspaces]);
  const selected = useSelection((s) => s.path);
  const [path, setPath] = useState<string>(selected ?? '');
  const entry = runbooks.find((r) => r.path === path);
  const [collection, setCollection] = useState('');
  const [task, setTask] = useState('');
  const [preflight, setPreflight] = useState<PreflightResult | null>(null);
  const [hits, setHits] = useState<CloudAuditHit[]>([]);
  const [allowed, setAllowed] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean; link?: string | null } | null>(null);

  useEffect(() => {
    if (!path && runbooks[0]) setPath(runbooks[0].path);
  }, [path, runbooks]);
  useEffect(() => {
    setCollection(entry?.collection ?? '');
    setTask(entry?.name ?? '');
    setPreflight(null);
    setHits([]);
    setAllowed([]);
    setMessage(null);
  }, [entry?.path]);

  async function check() {
    if (!path || !collection) return;
    try {
      const [p, h] = await Promise.all([apiClient()['cloud.preflight']({ path, collection }), apiClient()['cloud.audit']({ path })]);
      setPreflight(p);
      setHits(h);
    } catch (err) {
      setMessage({ text: messageOf(err), error: true });
    }
  }

  async function deploy() {
    if (!preflight) return;
    setBusy(true);
    setMessage(null);
    try {
      const submitted = await apiClient()['cloud.deploy']({ path, collection, task: task || undefined, setSecrets: preflight.missing.filter((s) => preflight.inVault.includes(s)), allowSecrets: allowed });
      if (submitted.status === 'queued') setMessage({ text: `Queued in the outbox (#${submitted.seq}): ${submitted.reason}. It is delivered once when the remote is back.`, error: false });
      else {
        const r = submitted.result;
        const notes = [r.taskCreated ? 'task created' : 'task updated', r.collectionCreated && 'collection created', r.secretsSet.length > 0 && `secrets set: ${r.secretsSet.join(', ')}`, r.uploaded.length > 0 && `${r.uploaded.length} file(s) uploaded`];
        setMessage({ text: `Deployed ${r.collection}/${r.task} (${notes.filter(Boolean).join(', ')}).`, error: false, link: r.links.task });
        onDeployed();
      }
      await check();
    } catch (err) {
      setMessage({ text: messageOf(err), error: true });
    } finally {
      setBusy(false);
    }
  }

  const unset = preflight ? preflight.missing.filter((s) => !preflight.inVault.includes(s)) : [];
  const blockedBy = hits.filter((h) => !allowed.includes(h.item));
  return (
    <section className="cloud-card cloud-push" aria-label="Deploy and run">
      <h2 className="section-title">Deploy and run a runbook</h2>
      {runbooks.length === 0 ? (
        <p className="muted">Open a folder of runbooks first.</p>
      ) : (
        <div className="cloud-push-target">
          <label>
            Runbook
            <select className="text-input" value={path} onChange={(e) => setPath(e.target.value)} aria-label="Runbook to push">
              {runbooks.map((r) => (
                <option key={r.path} value={r.path}>
                  {r.collection}/{r.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Collection
            <input className="text-input" value={collection} onChange={(e) => (setCollection(e.target.value), setPreflight(null))} />
          </label>
          <label>
            Task
            <input className="text-input" value={task} onChange={(e) => setTask(e.target.value)} />
          </label>
          <button type="button" className="button" disabled={!path || !collection} onClick={() => void check()}>
            Check secrets
          </button>
        </div>
      )}
      {preflight && <SecretPreflight preflight={preflight} onChanged={() => void check()} />}
      <AuditBlocks hits={hits} allowed={allowed} onAllow={(item, allow) => setAllowed((a) => (allow ? [...a, item] : a.filter((x) => x !== item)))} />
      {preflight && (
        <div className="run-actions">
          <button type="button" className="button button-primary" disabled={busy || unset.length > 0 || blockedBy.length > 0} onClick={() => void deploy()}>
            {busy ? 'Deploying…' : 'Deploy'}
          </button>
          {unset.length > 0 && <span className="run-blockers">Set {unset.join(', ')} first.</span>}
        </div>
      )}
      {message && (
        <p className={`notice ${message.error ? 'notice-error' : 'notice-ok'}`} role="status" data-deploy-result>
          {message.text}
          {message.link && (
            <>
              {' '}
              <a className="cloud-web-link" href={message.link} target="_blank" rel="noreferrer">
                open on the web
              </a>
            </>
          )}
        </p>
      )}
      {path && collection && <RemoteRun key={path} path={path} collection={collection} task={task} allowSecrets={allowed} blocked={blockedBy.length > 0} />}
    </section>
  );
}
