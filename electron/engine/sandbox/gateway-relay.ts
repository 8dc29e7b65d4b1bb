/**
 * The run gateway inside a sandbox whose network is 'gateway' (no network but loopback):
 * a small relay, started in the sandbox before its agent, listens on 127.0.0.1 and carries
 * each connection to the gateway's socket, mounted from the host. The agent's base URL is
 * then `http://127.0.0.1:<port>/v1`; its run token is checked by the gateway as ever.
 * Python 3 runs the relay (the snapshot images have it); it binds before it detaches, so
 * the command returns once the relay accepts connections.
 */
import { GATEWAY_SOCKET_MOUNT } from './container-config';
import { shellQuote } from './shell-quote';
import type { ToolHost } from './tool-host';

/** The relay's port on the sandbox's loopback. */
export const GATEWAY_RELAY_PORT = 18_080;
/** The gateway's base URL for an agent in such a sandbox. */
export const GATEWAY_RELAY_URL = `http://127.0.0.1:${GATEWAY_RELAY_PORT}/v1`;
/** The socket's name in the gateway's socket folder. */
export const GATEWAY_SOCKET_NAME = 'gateway.sock';

const RELAY = `
import os, socket, sys, threading
port, path = int(sys.argv[1]), sys.argv[2]
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", port))
server.listen(64)
if os.fork():
    os._exit(0)
os.setsid()
null = os.open(os.devnull, os.O_RDWR)
for fd in (0, 1, 2):
    os.dup2(null, fd)
def pipe(source, sink):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    finally:
        try:
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass
def serve(client):
    upstream = socket.socket(socket.AF_UNIX)
    try:
        upstream.connect(path)
    except OSError:
        client.close()
        return
    back = threading.Thread(target=pipe, args=(upstream, client), daemon=True)
    back.start()
    pipe(client, upstream)
    back.join()
    client.close()
    upstream.close()
while True:
    conn, _ = server.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
`;

/** Starts the relay in `sandbox`; throws saying what is missing when it cannot. */
export async function startGatewayRelay(sandbox: Pick<ToolHost, 'exec'>, signal?: AbortSignal): Promise<void> {
  const socket = `${GATEWAY_SOCKET_MOUNT}/${GATEWAY_SOCKET_NAME}`;
  const command = `command -v python3 >/dev/null 2>&1 || { echo 'no python3' >&2; exit 127; }; python3 -c ${shellQuote(RELAY)} ${GATEWAY_RELAY_PORT} ${shellQuote(socket)}`;
  const result = await sandbox.exec(command, { signal, timeoutMs: 30_000 });
  if (result.exitCode === 127) {
    throw new Error("the sandbox network 'gateway' needs python3 in the sandbox image (it relays the agent's calls to the run gateway): use an image with python3, or the default network");
  }
  if (result.exitCode !== 0) throw new Error(`the sandbox's relay to the run gateway did not start: ${result.stderr.trim().slice(-500) || `exit ${result.exitCode}`}`);
}
