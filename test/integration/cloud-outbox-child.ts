/**
 * The app for the kill -9 test (cloud-faults.test.ts): signs in, queues a deploy while
 * the remote is down, prints "queued", and waits to be killed.
 */
import { createEngine } from '../../electron/engine/api';

const [dataDir, workflow] = process.argv.slice(2);
const engine = await createEngine({ dataDir, env: { HOME: process.env.HOME, JETTY_API_URL: process.env.JETTY_API_URL } });
await engine.cloud.signIn(process.env.CHILD_TOKEN!);
const result = await engine.cloud.deploy({ file: workflow, collection: 'faults', task: 'after-kill' });
process.stdout.write(`${result.status}\n`);
setInterval(() => undefined, 60_000);
