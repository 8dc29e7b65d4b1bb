// What the benchmarks' child processes (upstreams, proxies under test) share: each prints
// `PORT <n>` once it listens.

/** Resolves with `{child, port}` once `child` printed its port; rejects if it exits first or takes over 30 s. */
export function portOf(child, label) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start`)), 30_000);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/PORT (\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.once('exit', (code) => reject(new Error(`${label} exited with ${code}`)));
  });
}
