import { resolveDataDir } from '../engine/base/data-dir';
import { createCloudService, type CloudService } from '../engine/cloud/cloud-service';
import { RemoteError } from '../engine/cloud/remote-error';
import { formatEvent } from './format-event';
import { openLocalServices } from '../engine/local-services';
import { openSecretVault } from '../engine/secrets/vault';
import { openStoredRunSources } from '../engine/runs/stored-run-sources';

/**
 * Opens the data folder's store, secret vault and cloud service for one CLI command,
 * runs `use`, then closes them. Followed remote runs print their events like a local run.
 * A remote failure prints its message and exits 1 (signed out / token refused: 3).
 */
export async function withCloud(dataDirFlag: string | undefined, use: (cloud: CloudService, print: (line: string) => void) => Promise<number>, options: { printEvents?: boolean } = {}): Promise<number> {
  const dataDir = resolveDataDir(dataDirFlag);
  const services = openLocalServices(dataDir);
  const startedAt = Date.now();
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const cloud = createCloudService({
    store: services.store,
    vault: openSecretVault(dataDir),
    dataDir,
    env: process.env,
    onEvent: options.printEvents ? (_id, event) => print(formatEvent(event, startedAt)) : undefined,
    // A remote run's plan is this data folder's, as `jetty run`'s would be.
    runSources: openStoredRunSources(dataDir, process.env),
  });
  try {
    return await use(cloud, print);
  } catch (error) {
    if (!(error instanceof RemoteError) && !(error instanceof Error && /^(SecretAuditError|MissingSecretsError|RemotePlanError)$/.test(error.name))) throw error;
    process.stderr.write(`jetty: ${error.message}\n`);
    return error instanceof RemoteError && (error.kind === 'unauthorized' || error.kind === 'signed_out') ? 3 : 1;
  } finally {
    await cloud.close();
    await services.close();
  }
}

/** "queued (#3): <why>" or the delivered value's line. */
export function describeSubmitted(s: { status: 'delivered' | 'queued'; seq?: number; reason?: string }, delivered: string): string {
  return s.status === 'delivered' ? delivered : `queued in the outbox (#${s.seq}): ${s.reason}; it is delivered when the remote is back (jetty cloud outbox)`;
}
