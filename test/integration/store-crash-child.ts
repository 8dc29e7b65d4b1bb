// Child process of store-crash.test.ts: appends events to a running trajectory until
// killed, printing the last seq after each flush (so those events are committed).
import { openStore, processOwnerToken } from '../../electron/engine/store';

const [file, limitText] = process.argv.slice(2);
const limit = Number(limitText);
const store = openStore(file);
const { id } = store.createTrajectory({
  collection: 'crash',
  task: 'kill-9',
  kind: 'runbook',
  status: 'running',
  owner: processOwnerToken(),
});
console.log(`trajectory ${id}`);
const writer = store.eventWriter(id, { maxBatch: 64, flushIntervalMs: 5 });
for (let seq = 0; seq < limit; ) {
  for (let i = 0; i < 37; i++) {
    const payload = { stream: 'stdout' as const, tool_call_id: String(seq + 1), text: 'x'.repeat(200) };
    seq = writer.append({ level: 'info', type: 'command_output', step: 'loop', payload });
  }
  writer.flush();
  console.log(`committed ${seq}`);
}
