// Child process of storage-crash.test.ts: queues one large file for an S3 collection and
// uploads it until killed: a finished run's artifact (`artifact`) or an uploaded input file
// (`input`). Prints `queued <run id | input path> <sha256>` first.
import path from 'node:path';
import { openLocalServices } from '../../electron/engine/local-services';
import { finishedRunWithArtifacts, writeRandomFile } from '../helpers/storage-artifacts';

const [dataDir, endpoint, sizeText, kind] = process.argv.slice(2);
const services = openLocalServices(dataDir, { env: process.env });
services.storage.configure('crash', { backend: 's3', bucket: 'artifacts', prefix: 'crash', endpoint, pruneLocal: true });
if (kind === 'input') {
  const relative = 'crash/uploads/0badf00d/big.bin';
  const sha256 = await writeRandomFile(path.join(dataDir, 'files', relative), Number(sizeText));
  await services.storage.enqueueInput('crash', relative);
  console.log(`queued ${relative} ${sha256}`);
} else {
  const run = await finishedRunWithArtifacts(services.store, dataDir, 'crash', { 'big.bin': Number(sizeText) });
  services.storage.enqueueRun(run.id, 'crash', run.artifacts);
  console.log(`queued ${run.id} ${run.artifacts[0].sha256}`);
}
services.storage.start();
