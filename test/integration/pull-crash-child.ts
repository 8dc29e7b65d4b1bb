// Child process of pull-crash.test.ts: pulls crash/task from the remote (JETTY_API_URL,
// token CHILD_TOKEN) into <dataDir> until killed, printing one line per store change
// ("change <table>") so the parent can kill it mid-pull.
import path from 'node:path';
import { createCloudService } from '../../electron/engine/cloud/cloud-service';
import { openSecretVault } from '../../electron/engine/secrets/vault';
import { openStore } from '../../electron/engine/store';

const [dataDir] = process.argv.slice(2);
const store = openStore(path.join(dataDir, 'jetty.db'));
const cloud = createCloudService({ store, vault: openSecretVault(dataDir), dataDir, env: process.env });
await cloud.signIn(process.env.CHILD_TOKEN!);
store.onChange(({ table }) => process.stdout.write(`change ${table}\n`));
const result = await cloud.pull({ collection: 'crash', task: 'task' });
process.stdout.write(`done ${JSON.stringify(result)}\n`);
