import { useCallback, useEffect } from 'react';
import { create } from 'zustand';
import type { MethodOutput } from '../../../../shared/contract';
import { useConnection } from '../../stores/connection';

export type DockerStatus = MethodOutput<'docker.status'>;

const useDockerStore = create<{ status: DockerStatus | null; set(status: DockerStatus): void }>((set) => ({ status: null, set: (status) => set({ status }) }));

/** Docker's state as the engine sees it: checked once connected, when the window regains focus, and on `recheck`. */
export function useDockerStatus() {
  const client = useConnection((s) => s.client);
  const status = useDockerStore((s) => s.status);
  const recheck = useCallback(() => {
    if (client) void client['docker.status']({}).then(useDockerStore.getState().set, () => undefined);
  }, [client]);
  useEffect(() => {
    recheck();
    window.addEventListener('focus', recheck);
    return () => window.removeEventListener('focus', recheck);
  }, [recheck]);
  return { status, recheck };
}
