import { create } from 'zustand';
import type { Client } from '../../../shared/rpc';
import { connectClient } from '../api/client';
import type { ConnectionStatus } from '../api/status';

interface ConnectionState {
  status: ConnectionStatus;
  client: Client | null;
}

export const useConnection = create<ConnectionState>(() => ({ status: { state: 'connecting' }, client: null }));

/** Connects once at start-up; the status follows the transport from then on. */
export function startConnection(): void {
  const client = connectClient((status) => useConnection.setState({ status }));
  useConnection.setState({ client });
}

/** The typed client; stores call this, components call stores. */
export function apiClient(): Client {
  const { client } = useConnection.getState();
  if (!client) throw new Error('not connected to Jetty');
  return client;
}
