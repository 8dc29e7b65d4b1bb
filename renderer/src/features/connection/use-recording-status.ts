import { useEffect, useState } from 'react';
import type { RecordingStatus } from '../../../../shared/contract';
import { useConnection } from '../../stores/connection';

/** The passthrough recording's status: read once connected, then kept current by `recording.changed`. */
export function useRecordingStatus(): RecordingStatus | null {
  const client = useConnection((s) => s.client);
  const [status, setStatus] = useState<RecordingStatus | null>(null);
  useEffect(() => {
    if (!client) return;
    const off = client.on('recording.changed', setStatus);
    void client['recording.status']({}).then(setStatus, () => undefined);
    return off;
  }, [client]);
  return status;
}
