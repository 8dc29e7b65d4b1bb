/** TCP sockets in the LISTEN state, read from /proc (Linux): /proc/<pid>/net/tcp{,6} list every socket of the network namespace. */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

const LISTEN = '0A';

/** Every listening socket of this network namespace: its table, address (hex, as the kernel writes it), port and inode. */
function listeners(pid: number): { table: string; address: string; port: number; inode: string }[] {
  return ['tcp', 'tcp6'].flatMap((table) =>
    readFileSync(`/proc/${pid}/net/${table}`, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .flatMap((row) => {
        const [, local, , state, , , , , , inode] = row.trim().split(/\s+/);
        if (state !== LISTEN) return [];
        const [address, port] = local.split(':');
        return [{ table, address, port: parseInt(port, 16), inode }];
      }),
  );
}

/** `table:address:port` of every socket in the LISTEN state that `pid` holds open. */
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
  return listeners(pid)
    .filter((l) => inodes.has(l.inode))
    .map((l) => `${l.table}:${l.address}:${l.port}`)
    .sort();
}

/** Whether any process of this machine listens on `port` at an address other than IPv4 loopback (ports are per address: another server may hold a loopback server's port number elsewhere). */
export function listenedBeyondLoopback(port: number): boolean {
  return listeners(process.pid).some((l) => l.port === port && l.address !== '0100007F');
}
