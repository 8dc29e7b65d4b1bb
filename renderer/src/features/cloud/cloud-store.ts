import { create } from 'zustand';
import type { CloudOutboxDelivery, CloudOutboxItem, CloudStatus } from '../../../../shared/cloud';
import { apiClient } from '../../stores/connection';

interface CloudState {
  status: CloudStatus | null;
  outbox: CloudOutboxItem[];
  /** Items delivered (newest first) with what came of each: a deploy that waited shows its outcome here. */
  delivered: CloudOutboxDelivery[];
  /** Reads the connection and the outbox; `cloud.status.changed` and `cloud.outbox.changed` keep them current. */
  load(): Promise<void>;
}

export const useCloud = create<CloudState>((set) => ({
  status: null,
  outbox: [],
  delivered: [],
  async load() {
    const [status, outbox, delivered] = await Promise.all([apiClient()['cloud.status']({}), apiClient()['cloud.outbox']({}), apiClient()['cloud.outbox.delivered']({})]);
    set({ status, outbox, delivered });
  },
}));

/** Subscribes the store to the engine's cloud events; returns the unsubscribe. */
export function watchCloud(): () => void {
  const client = apiClient();
  const offs = [
    client.on('cloud.status.changed', (status) => useCloud.setState({ status })),
    client.on('cloud.outbox.changed', ({ items, delivered }) => useCloud.setState({ outbox: items, delivered })),
  ];
  return () => offs.forEach((off) => off());
}

export const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Whether browsing and pushing make sense: a token is there and the remote did not refuse it. */
export const signedIn = (status: CloudStatus | null) => status !== null && status.state !== 'signed_out' && status.state !== 'rejected';
