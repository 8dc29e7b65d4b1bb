/** How close to the bottom (px) counts as "at the end" when the user scrolls back down. */
const BOTTOM_SLACK = 4;

/** A scroll position: how far down, and how far from the bottom. */
export interface ScrollPoint {
  top: number;
  fromBottom: number;
}

/**
 * Whether a log still follows its end after a scroll event. Only the user leaves the end,
 * by scrolling up; scrolling back down to the bottom follows again. Being short of the
 * bottom is not a reason on its own: rows added between a follow scroll and its event
 * leave the list short of the bottom while the user did nothing.
 */
export function followAfterScroll(following: boolean, before: number, now: ScrollPoint): boolean {
  if (now.top < before - 1) return false;
  if (now.top > before && now.fromBottom <= BOTTOM_SLACK) return true;
  return following;
}
