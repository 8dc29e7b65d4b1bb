import net from 'node:net';

/**
 * This machine's Docker engine reached over TCP on 127.0.0.1, as a Docker engine on another
 * machine is (`DOCKER_HOST=tcp://…`): each connection is piped, bytes as they are (attach
 * and exec streams included), to the local socket. Counts the Docker API calls made through
 * it, by what they ask (`POST /containers/create`…), so a test can see the engine was used.
 */
export async function startDockerOverTcp(socketPath = '/var/run/docker.sock') {
  const calls: string[] = [];
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const daemon = net.connect(socketPath);
    open.add(client).add(daemon);
    const close = () => {
      client.destroy();
      daemon.destroy();
      open.delete(client);
      open.delete(daemon);
    };
    client.on('data', (chunk: Buffer) => {
      // A request line starts a write on a keep-alive connection; bodies never match this shape.
      for (const m of chunk.toString('latin1').matchAll(/^(GET|POST|PUT|DELETE|HEAD) \/(?:v[\d.]+\/)?([^? ]+)/gm)) calls.push(`${m[1]} /${m[2]}`);
    });
    client.pipe(daemon).pipe(client);
    client.on('error', close).on('close', close);
    daemon.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    host: `tcp://127.0.0.1:${port}`,
    /** The Docker API calls made so far, e.g. `POST /containers/create`. */
    calls: () => [...calls],
    async close() {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
