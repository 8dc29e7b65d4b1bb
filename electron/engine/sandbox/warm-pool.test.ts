import { describe, expect, it } from 'vitest';
import { createDockerActivity } from './activity';
import { createWarmPool, type Parked } from './warm-pool';

describe('the warm pool’s close', () => {
  it('stops a refill waiting for Docker to be quiet at once (the wait holds no timer that would keep a closing process alive)', async () => {
    const activity = createDockerActivity();
    // A run's command that never ends: a refill would wait the whole minute for quiet.
    activity.begin();
    const parks: string[] = [];
    let waiting!: () => void;
    const waited = new Promise<void>((resolve) => (waiting = resolve));
    const pool = createWarmPool<Parked>({
      size: () => 1,
      park: async (_spec, key) => (parks.push(key), { id: `c${parks.length}`, imageId: 'sha256:x', key }),
      remove: async () => undefined,
      idle: (signal) => (waiting(), activity.quiet(60_000, 60_000, signal)),
    });
    pool.want({ image: 'jetty-test/base:latest', limits: { cpus: 1, memoryBytes: 1 << 30, pids: 64 }, network: true });
    await waited;
    // Before, close waited for that minute (and a process with nothing else to do exited under it, with code 0).
    await pool.close();
    expect(parks).toEqual([]);
  });
});
