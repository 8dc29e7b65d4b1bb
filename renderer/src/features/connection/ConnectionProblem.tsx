import type { ConnectionStatus } from '../../api/status';

/** Full-screen explanation when the UI cannot reach the engine, and how to fix it. */
export function ConnectionProblem({ status }: { status: Extract<ConnectionStatus, { state: 'no-token' | 'unauthorized' }> }) {
  const title = status.state === 'no-token' ? 'This page needs its access token' : 'The access token was refused';
  return (
    <main className="connection-problem" role="alert" aria-labelledby="connection-problem-title">
      <div className="connection-card">
        <h1 id="connection-problem-title">{title}</h1>
        <p>
          {status.state === 'no-token'
            ? 'Jetty Desktop only answers pages opened with the link it prints, which carries a token after #token=.'
            : 'The token in this link does not match the running server. It may come from an earlier session or another data folder.'}
        </p>
        <p>Open the full link that the terminal running the server printed:</p>
        <pre className="code-block">
          <code>Jetty Desktop is serving &lt;folder&gt; at http://127.0.0.1:&lt;port&gt;/#token=…</code>
        </pre>
        <p className="muted">
          Lost it? Stop the server and run <code>jetty serve &lt;folder&gt;</code> again; the token is kept in{' '}
          <code>&lt;data dir&gt;/api-token</code> (or set with <code>JETTY_API_TOKEN</code>).
        </p>
      </div>
    </main>
  );
}
