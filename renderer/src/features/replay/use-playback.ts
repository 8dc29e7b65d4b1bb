import { useEffect, useRef, useState } from 'react';

/**
 * The replay clock: a cursor time that advances at `speed` × real time while playing,
 * one animation frame at a time; null means "at the end" (everything, live runs included).
 */
export function usePlayback(start: number, end: number) {
  const [cursor, setCursor] = useState<number | null>(null);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(10);
  const state = useRef({ cursor, speed, end });
  state.current = { cursor, speed, end };

  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    let frame = requestAnimationFrame(function tick(now) {
      const { cursor: c, speed: s, end: e } = state.current;
      const next = (c ?? e) + (now - last) * s;
      last = now;
      if (next >= e) {
        setCursor(null);
        setPlaying(false);
        return;
      }
      setCursor(next);
      frame = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(frame);
  }, [playing]);

  return {
    cursor: cursor ?? end,
    atEnd: cursor === null,
    playing,
    speed,
    setSpeed,
    /** Moves the cursor (stops following the end). */
    seek(time: number) {
      setCursor(time >= end ? null : Math.max(start, time));
    },
    toggle() {
      if (!playing && cursor === null) setCursor(start);
      setPlaying(!playing);
    },
    pause: () => setPlaying(false),
  };
}
