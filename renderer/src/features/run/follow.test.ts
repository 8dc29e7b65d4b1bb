import { describe, expect, it } from 'vitest';
import { followAfterScroll } from './follow';

describe('followAfterScroll', () => {
  it('keeps following when rows arrived between the follow scroll and its event', () => {
    // Scrolled to the end at 20,000 px; 1,000 rows (20,000 px) landed before the scroll event fired.
    expect(followAfterScroll(true, 19_700, { top: 20_000, fromBottom: 20_000 })).toBe(true);
    expect(followAfterScroll(true, 20_000, { top: 20_000, fromBottom: 20_000 })).toBe(true);
  });

  it('stops following when the user scrolls up', () => {
    expect(followAfterScroll(true, 20_000, { top: 19_900, fromBottom: 100 })).toBe(false);
  });

  it('follows again when the user scrolls back down to the bottom, not before', () => {
    expect(followAfterScroll(false, 19_000, { top: 19_500, fromBottom: 500 })).toBe(false);
    expect(followAfterScroll(false, 19_500, { top: 20_000, fromBottom: 0 })).toBe(true);
    // Turned off with the toggle while at the bottom: new rows do not turn it on again.
    expect(followAfterScroll(false, 20_000, { top: 20_000, fromBottom: 0 })).toBe(false);
  });
});
