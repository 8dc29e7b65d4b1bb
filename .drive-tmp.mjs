import { spawn } from 'node:child_process';
import { Pool } from 'undici';
const start = (argv) => new Promise((res) => { const c = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] }); let o=''; c.stdout.on('data', d => { o += d; const m = o.match(/PORT (\d+)/); if (m) res({ c, port: Number(m[1]) }); }); });
const up = await start(['--import', 'tsx', 'bench/proxy.mjs', '--role', 'upstream']);
const j = await start(['--cpu-prof', '--cpu-prof-dir=/tmp/prof', '--import', 'tsx', 'bench/proxy.mjs', '--role', 'jetty', '--upstream', `http://127.0.0.1:${up.port}`]);
const pool = new Pool(`http://127.0.0.1:${j.port}`, { connections: 8 });
const body = JSON.stringify({ model: 'openai/gpt-4o-mini', stream: process.argv[2] === 'stream', messages: [{ role: 'user', content: 'hi' }] });
const t0 = Date.now();
const N = 4000;
for (let i = 0; i < N; i++) { const r = await pool.request({ method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json', authorization: 'Bearer bench-token' }, body }); await r.body.text(); }
console.log('per req ms', (Date.now() - t0) / N);
await pool.close();
j.c.kill('SIGTERM'); up.c.kill('SIGTERM');
await new Promise(r => setTimeout(r, 1500));
