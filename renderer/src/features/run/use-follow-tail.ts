import type { Virtualizer } from '@tanstack/react-virtual';
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { followAfterScroll } from './follow';

/**
 * Follow mode for a growing, virtualised list: while on, every change (`version`) scrolls
 * to the end before the frame is painted. Only the user turns it off (the toggle, or
 * scrolling up; see followAfterScroll).
 */
export function useFollowTail(scroller: React.RefObject<HTMLElement | null>, virtualizer: Virtualizer<HTMLDivElement, Element>, version: unknown) {
  const [follow, setFollow] = useState(true);
  const lastTop = useRef(0);

  useLayoutEffect(() => {
    if (!follow) return;
    virtualizer.scrollToEnd();
    // Our own scroll, even one that moved up (the content shrank, e.g. lines unwrapped), is not the user leaving.
    if (scroller.current) lastTop.current = scroller.current.scrollTop;
  }, [follow, version, virtualizer, scroller]);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const point = { top: el.scrollTop, fromBottom: el.scrollHeight - el.scrollTop - el.clientHeight };
    const before = lastTop.current;
    lastTop.current = point.top;
    setFollow((following) => followAfterScroll(following, before, point));
  }, [scroller]);

  return { follow, setFollow, onScroll };
}
