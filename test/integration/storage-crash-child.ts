// Child process of storage-crash.test.ts: queues one large artifact of a finished run for
// an S3 collection and uploads it until killed. Prints `queued <id> <sha256>` first.
import { openLocalServices } from '../../electron/engine/local-services';
import { finishedRunWithArtifacts } from '../helpers/storage-artifacts';

const [dataDir, endpoint, sizeText] = process.argv.slice(2);
const services = openLocalServices(dataDir, { env: process.env });
services.storage.configure('crash', { backend: 's3', bucket: 'artifacts', prefix: 'crash', endpoint, pruneLocal: true });
const run = await finishedRunWithArtifacts(services.store, dataDir, 'crash', { 'big.bin': Number(sizeText) });
services.storage.enqueueRun(run.id, 'crash', run.artifacts);
console.log(`queued ${run.id} ${run.artifacts[0].sha256}`);
services.storage.start();
