import { useEffect, useMemo, useState } from 'react';
import type { CloudAuditHit } from '../../../../shared/cloud';
import { apiClient } from '../../stores/connection';
import { useSelection } from '../../stores/selection';
import { useWorkspaces } from '../../stores/workspaces';
import { placeOf } from '../runbooks/collection-place';
import { messageOf, useCloud } from './cloud-store';
import { AuditBlocks, SecretPreflight, type PreflightResult } from './Preflight';
import { RemoteRun } from './RemoteRun';

type Deployed = Extract<Awaited<ReturnType<ReturnType<typeof apiClient>['cloud.deploy']>>, { status: 'delivered' }>['result'];

/** What a deploy did, in one sentence: the task, the secrets set, the runbook's folder (sent, or what the remote could not take). */
function deployedText(r: Deployed): string {
  const folder = r.folder
    ? r.folder.sent
      ? `folder: ${r.folder.files} file${r.folder.files === 1 ? '' : 's'}`
      : r.folder.leftOut.length > 0 && `RUNBOOK.md only, ${r.folder.leftOut.length} file(s) of its folder left out: ${r.folder.leftOut.join(', ')}`
    : null;
  const notes = [r.taskCreated ? 'task created' : 'task updated', r.collectionCreated && 'collection created', r.secretsSet.length > 0 && `secrets set: ${r.secretsSet.join(', ')}`, folder, r.uploaded.length > 0 && `${r.uploaded.length} file(s) uploaded`];
  return `Deployed ${r.collection}/${r.task} (${notes.filter(Boolean).join(', ')}).`;
}

/**
 * Deploy a runbook of the open folders (the one open in the editor first) after the secret
 * preflight and audit, or run it remotely. The collection starts as the runbook's whole
 * place (a nested collection's path, `owner/sub`). While the remote cannot be reached, a
 * deploy waits in the outbox and its secret check runs when it is delivered.
 */
export function PushRunbook({ onDeployed }: { onDeployed(): void }) {
  const workspaces = useWorkspaces((s) => s.workspaces);
  const runbooks = useMemo(() => workspaces.flatMap((w) => w.runbooks.map((r) => ({ ...r, folder: w.folder }))), [workspaces]);
  const selected = useSelection((s) => s.path);
  const offline = useCloud((s) => s.status?.state === 'offline');
  const online = useCloud((s) => s.status?.state === 'online');
  const [path, setPath] = useState<string>(selected ?? '');
  const entry = runbooks.find((r) => r.path === path);
  const place = entry && entry.kind !== 'workflow' ? placeOf(entry.folder, entry.path) : null;
  const [deferred, setDeferred] = useState<{ required: string[]; setFromVault: boolean } | null>(null);
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
    setCollection(place ? [place.collection, ...place.subCollections].join('/') : (entry?.collection ?? ''));
    setTask(entry?.name ?? '');
    setPreflight(null);
    setDeferred(null);
    setHits([]);
    setAllowed([]);
    setMessage(null);
  }, [entry?.path]);

  // The remote is back: the secret check can run now (Check secrets), no longer deferred.
  useEffect(() => {
    if (online) setDeferred(null);
  }, [online]);

  async function check() {
    if (!path || !collection) return;
    const [p, h] = await Promise.allSettled([apiClient()['cloud.preflight']({ path, collection }), apiClient()['cloud.audit']({ path })]);
    if (h.status === 'fulfilled') setHits(h.value);
    if (p.status === 'fulfilled') {
      setPreflight(p.value);
      setDeferred(null);
      return;
    }
    setPreflight(null);
    // Unreachable: the deploy can wait in the outbox, its secret check run at delivery.
    if ((await apiClient()['cloud.status']({})).state === 'offline') {
      const declared = await apiClient()['cloud.declaredSecrets']({ path });
      setDeferred({ required: declared.required, setFromVault: declared.inVault.length > 0 && declared.inVault.length === declared.required.length });
      setMessage(null);
    } else setMessage({ text: messageOf(p.reason), error: true });
  }

  async function deploy() {
    if (!preflight && !deferred) return;
    setBusy(true);
    setMessage(null);
    try {
      const setSecrets = preflight ? preflight.missing.filter((s) => preflight.inVault.includes(s)) : deferred!.setFromVault ? deferred!.required : [];
      const submitted = await apiClient()['cloud.deploy']({ path, collection, task: task || undefined, setSecrets, allowSecrets: allowed });
      if (submitted.status === 'queued') setMessage({ text: `Queued in the outbox (#${submitted.seq}): ${submitted.reason}. It is delivered once when the remote is back; its secret check runs then, and the Outbox shows what came of it.`, error: false });
      else {
        setMessage({ text: deployedText(submitted.result), error: false, link: submitted.result.links.task });
        onDeployed();
      }
      if (preflight) await check();
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
      {deferred && (
        <div className="notice notice-info cloud-deferred" role="status" data-deferred-secrets={deferred.required.join(',')}>
          <p>
            {offline ? 'The remote cannot be reached' : 'The remote could not be reached'}: the deploy waits in the outbox and is delivered once it is back. Its secret check runs then; the Outbox shows what came of it.
          </p>
          {deferred.required.length > 0 && (
            <label className="cloud-override">
              <input type="checkbox" checked={deferred.setFromVault} onChange={(e) => setDeferred({ ...deferred, setFromVault: e.target.checked })} /> At delivery, set what the collection lacks of {deferred.required.join(', ')} from the local secret store
            </label>
          )}
        </div>
      )}
      <AuditBlocks hits={hits} allowed={allowed} onAllow={(item, allow) => setAllowed((a) => (allow ? [...a, item] : a.filter((x) => x !== item)))} />
      {(preflight || deferred) && (
        <div className="run-actions">
          <button type="button" className="button button-primary" disabled={busy || unset.length > 0 || blockedBy.length > 0} onClick={() => void deploy()}>
            {busy ? 'Deploying…' : deferred ? 'Deploy when the remote is back' : 'Deploy'}
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
