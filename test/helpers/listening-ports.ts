/** The TCP ports a process listens on, read from /proc (Linux): its socket inodes matched against /proc/net/tcp{,6}. */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

const LISTEN = '0A';

/** `address:port` of every socket in the LISTEN state that `pid` holds open. */
export function listeningSockets(pid = process.pid): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // closed since the listing
    }
  }
  const found: string[] = [];
  for (const table of ['tcp', 'tcp6']) {
    const rows = readFileSync(`/proc/${pid}/net/${table}`, 'utf8').trim().split('\n').slice(1);
    for (const row of rows) {
      const cols = row.trim().split(/\s+/);
      const [, local, , state, , , , , , inode] = cols;
      if (state !== LISTEN || !inodes.has(inode)) continue;
      const [address, port] = local.split(':');
      found.push(`${table}:${address}:${parseInt(port, 16)}`);
    }
  }
  return found.sort();
}
