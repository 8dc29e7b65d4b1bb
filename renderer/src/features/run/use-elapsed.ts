import { useEffect, useState } from 'react';
import type { Trajectory } from '../../../../shared/trajectory';

/** "1:05"-style duration. */
export const formatDuration = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
};

/** A span for a table: "240 ms" under a second (a passthrough call), else as formatDuration. */
export const formatSpan = (ms: number) => (ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : formatDuration(ms));

/** How long a run has taken: ticking each second while it runs. */
export function useElapsed(t: Trajectory | undefined): string {
  const [now, setNow] = useState(Date.now());
  const running = t?.status === 'running' || t?.status === 'pending';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  if (!t) return '';
  const start = Date.parse(t.started_at ?? t.created_at);
  const end = t.ended_at ? Date.parse(t.ended_at) : running ? now : start;
  return formatDuration(end - start);
}
