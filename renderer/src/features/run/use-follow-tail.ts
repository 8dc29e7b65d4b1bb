import type { Virtualizer } from '@tanstack/react-virtual';
import { useCallback, useLayoutEffect, useRef, useState } from 'react';

/** How close to the bottom (px) counts as "at the end" when the user scrolls back down. */
const BOTTOM_SLACK = 4;

/**
 * Follow mode for a growing, virtualised list: while on, every change (`version`) scrolls
 * to the end before the frame is painted. It turns off only by the user: the toggle, or
 * scrolling up; scrolling back down to the end turns it on again. Rows added between a
 * scroll and its event never count as leaving the end (the old log lost the tail that way).
 */
export function useFollowTail(scroller: React.RefObject<HTMLElement | null>, virtualizer: Virtualizer<HTMLDivElement, Element>, version: unknown) {
  const [follow, setFollow] = useState(true);
  const lastTop = useRef(0);

  useLayoutEffect(() => {
    if (follow) virtualizer.scrollToEnd();
  }, [follow, version, virtualizer]);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const top = el.scrollTop;
    if (top < lastTop.current - 1) setFollow(false);
    else if (top > lastTop.current && el.scrollHeight - top - el.clientHeight <= BOTTOM_SLACK) setFollow(true);
    lastTop.current = top;
  }, [scroller]);

  return { follow, setFollow, onScroll };
}
