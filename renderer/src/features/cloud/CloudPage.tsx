import { useEffect, useState } from 'react';
import { Browse } from './Browse';
import { signedIn, useCloud, watchCloud } from './cloud-store';
import { Outbox } from './Outbox';
import { PushRunbook } from './PushRunbook';
import { SignIn } from './SignIn';
import './cloud.css';

/** The Cloud screen: the remote connection, browse, deploy and run, and the outbox. */
export function CloudPage() {
  const status = useCloud((s) => s.status);
  const outbox = useCloud((s) => s.outbox);
  const delivered = useCloud((s) => s.delivered);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const off = watchCloud();
    void useCloud.getState().load();
    return off;
  }, []);
  if (!status) return <p className="placeholder content">Reading the remote connection…</p>;
  return (
    <main className="content cloud-page">
      <header className="page-header">
        <h1>Cloud</h1>
      </header>
      <SignIn key={status.state} status={status} />
      {signedIn(status) && (
        <div className="cloud-grid">
          <div className="cloud-main">
            <PushRunbook onDeployed={() => setVersion((v) => v + 1)} />
            <Browse version={version} />
          </div>
          <Outbox items={outbox} delivered={delivered} />
        </div>
      )}
      {!signedIn(status) && (outbox.length > 0 || delivered.length > 0) && <Outbox items={outbox} delivered={delivered} />}
    </main>
  );
}
