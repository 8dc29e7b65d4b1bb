import { useCallback, useEffect, useState } from 'react';
import { messageOf } from './cloud-store';

/** One remote read: its value, the remote's message when it failed, and a reload; re-read when `key` changes. */
export function useRemote<T>(read: (() => Promise<T>) | null, key: string) {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    if (!read) return setValue(null);
    try {
      setValue(await read());
      setError(null);
    } catch (err) {
      setValue(null);
      setError(messageOf(err));
    }
  }, [key]);
  useEffect(() => void reload(), [reload]);
  return { value, error, reload };
}
