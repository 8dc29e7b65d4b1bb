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

/** The remote connection: its state in plain words, and sign in (base URL + token) or sign out. */
export function SignIn({ status }: { status: CloudStatus }) {
  const [baseUrl, setBaseUrl] = useState(status.baseUrl);
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const state = STATE_TEXT[status.state];
  const showForm = status.state === 'signed_out' || status.state === 'rejected';

  async function act(call: () => Promise<CloudStatus>) {
    setBusy(true);
    try {
      useCloud.setState({ status: await call() });
      setToken('');
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
          {status.tokenSource === 'env' && <span className="muted"> (from JETTY_API_TOKEN)</span>}
        </p>
      )}
      {showForm ? (
        <form
          className="cloud-signin"
          onSubmit={(e) => {
            e.preventDefault();
            if (token) void act(() => apiClient()['cloud.signIn']({ token, baseUrl: baseUrl || undefined }));
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
