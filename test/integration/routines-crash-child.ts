/**
 * A Jetty engine over a data dir whose routines' clock stands at NOW (argv), for the kill -9
 * test: `setup` creates the task and an hourly routine; `fire` starts the engine (its start
 * fires the due slot) and kills itself with SIGKILL just before or just after the run is
 * started (KILL); `settle` starts it again, waits for its runs to end and prints the
 * routine's firings as JSON.
 */
import { createEngine } from '../../electron/engine/api';

const [dataDir, mode, now, kill] = process.argv.slice(2);
const clock = { now: () => Date.parse(now), setTimer: () => () => undefined };
const die = () => process.kill(process.pid, 'SIGKILL');
const engine = await createEngine({
  dataDir,
  routineClock: clock,
  routineLauncher: (real) => ({
    describe: real.describe,
    async launch(order) {
      if (kill === 'before-launch') die();
      await real.launch(order);
      if (kill === 'after-launch') die();
    },
  }),
});
const store = engine.services.store;
if (mode === 'setup') {
  store.createCollection({ name: 'crash' });
  store.createTask('crash', { name: 'echo', workflow: { init_params: { text: 'hi' }, step_configs: { echo: { activity: 'text_echo', text_path: 'init_params.text' } }, steps: ['echo'] } });
  await engine.routines.create('crash', 'echo', { name: 'hourly', cadence: { type: 'hourly', minute_utc: 0 } });
} else {
  await engine.routines.tick();
  if (mode === 'settle') {
    const deadline = Date.now() + 20_000;
    while (store.listTrajectories({ collection: 'crash', status: 'running' }).total > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    process.stdout.write(`${JSON.stringify(engine.routines.runs('crash', 'echo', 'hourly', 100))}\n`);
  }
}
await engine.close();
