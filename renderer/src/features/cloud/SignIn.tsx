import { useState } from 'react';
import type { CloudStatus } from '../../../../shared/cloud';
import { apiClient } from '../../stores/connection';
import { messageOf, useCloud } from './cloud-store';

const STATE_TEXT: Record<CloudStatus['state'], { pill: string; label: string; text: string }> = {
  signed_out: { pill: 'pill-muted', label: 'signed out', text: 'Not signed in. Enter the remote Jetty’s address and a token to browse, deploy, run and pull.' },
  unknown: { pill: 'pill-muted', label: 'not checked', text: 'Signed in; the remote has not answered yet.' },
  online: { pill: 'pill-ok', label: 'online', text: 'Signed in: the remote accepts the token.' },
  offline: { pill: 'pill-warning', label: 'offline', text: 'The remote is unreachable. Deploys, runs and labels wait in the outbox and go out when it is back.' },
  rejected: { pill: 'pill-error', label: 'token rejected', text: 'The remote rejected the token (401). Sign in again with a valid token; nothing in the outbox is lost.' },
  forbidden: { pill: 'pill-error', label: 'no access', text: 'The token has no access to that collection (403). Ask its owner for access or use another token.' },
};

type Proposal = Awaited<ReturnType<ReturnType<typeof apiClient>['cloud.proposeRemote']>>;

/** The base URL as the engine compares it (so "the same remote" needs no confirmation); null when it is not a URL. */
const normal = (url: string): string | null => {
  try {
    return new URL(url).href.replace(/\/+$/, '');
  } catch {
    return null;
  }
};

/**
 * The remote connection: its state in plain words, and sign in (base URL + token) or sign
 * out. Pointing the app at another remote goes through a confirm step: everything pushed
 * from now on goes there, so the user says yes (and, in a browser, types the code the
 * server printed in its terminal).
 */
export function SignIn({ status }: { status: CloudStatus }) {
  const [baseUrl, setBaseUrl] = useState(status.baseUrl);
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [proposal, setProposal] = useState<Proposal | null>(null);
  const [code, setCode] = useState('');
  const state = STATE_TEXT[status.state];
  const showForm = status.state === 'signed_out' || status.state === 'rejected';

  async function act(call: () => Promise<CloudStatus>) {
    setBusy(true);
    try {
      useCloud.setState({ status: await call() });
      setToken('');
      setError(null);
      setProposal(null);
      setCode('');
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  async function signIn() {
    if (!token) return;
    const wanted = baseUrl ? normal(baseUrl) : null;
    if (!wanted || wanted === status.baseUrl) return act(() => apiClient()['cloud.signIn']({ token, baseUrl: baseUrl || undefined }));
    setBusy(true);
    try {
      setProposal(await apiClient()['cloud.proposeRemote']({ baseUrl: wanted }));
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="cloud-card cloud-connection" aria-label="Connection" data-cloud-state={status.state}>
      <header className="cloud-card-header">
        <h2 className="section-title">Remote Jetty</h2>
        <span className={`pill ${state.pill}`}>{state.label}</span>
      </header>
      <p className={status.state === 'rejected' || status.state === 'forbidden' ? 'notice notice-error' : 'muted'} role="status">
        {state.text}
        {status.message && status.state !== 'online' && <span className="cloud-remote-message"> {status.message}</span>}
      </p>
      {status.token && (
        <p className="cloud-identity">
          <code>{status.baseUrl}</code> · token <code data-token>{status.token}</code>
          {status.tokenSource === 'env' && <span className="muted"> (from JETTY_CLOUD_TOKEN)</span>}
        </p>
      )}
      {showForm && proposal ? (
        <form
          className="cloud-signin cloud-confirm-remote"
          aria-label="Confirm the new remote"
          onSubmit={(e) => {
            e.preventDefault();
            const confirmation = proposal.confirmation ?? code.trim();
            if (confirmation) void act(() => apiClient()['cloud.signIn']({ token, baseUrl: proposal.baseUrl, confirmation }));
          }}
        >
          <p className="notice notice-warning" role="alert">
            Point Jetty at <code>{proposal.baseUrl}</code> instead of <code>{status.baseUrl}</code>? Deploys, remote runs with their input files, labels
            and pulls will go to this remote, and the token is sent to it. Confirm only if you typed this address yourself.
          </p>
          {proposal.codeShownIn && (
            <label>
              Code shown in {proposal.codeShownIn}
              <input className="text-input" autoComplete="off" spellCheck={false} value={code} onChange={(e) => setCode(e.target.value)} />
            </label>
          )}
          <button type="submit" className="button button-primary" disabled={busy || (proposal.codeShownIn !== null && !code.trim())}>
            {busy ? 'Signing in…' : 'Use this remote and sign in'}
          </button>
          <button type="button" className="button" disabled={busy} onClick={() => setProposal(null)}>
            Cancel
          </button>
        </form>
      ) : showForm ? (
        <form
          className="cloud-signin"
          onSubmit={(e) => {
            e.preventDefault();
            void signIn();
          }}
        >
          <label>
            Base URL
            <input className="text-input" type="url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />
          </label>
          <label>
            Token
            <input className="text-input" type="password" autoComplete="off" placeholder="mlc_…" value={token} onChange={(e) => setToken(e.target.value)} />
          </label>
          <button type="submit" className="button button-primary" disabled={!token || busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      ) : (
        status.tokenSource !== 'env' && (
          <button type="button" className="button" disabled={busy} onClick={() => void act(() => apiClient()['cloud.signOut']({}))}>
            Sign out
          </button>
        )
      )}
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
