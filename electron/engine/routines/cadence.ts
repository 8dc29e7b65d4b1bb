/**
 * A cadence's slots in UTC, as pure functions of a time in milliseconds: the latest slot at
 * or before a time, the first after it, and how many fall between two times (bounded).
 */
import { DAYS_OF_WEEK, type Cadence } from '../../../shared/routines';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Counting slots stops here (an hourly routine asleep for over 11 years). */
export const MAX_COUNTED_SLOTS = 100_000;

const dayStart = (t: number) => Math.floor(t / DAY) * DAY;
const weekday = (t: number) => new Date(t).getUTCDay();
const isWeekend = (t: number) => weekday(t) === 0 || weekday(t) === 6;

/** The latest slot at or before `t`; null for a manual cadence. */
export function slotAtOrBefore(c: Cadence, t: number): number | null {
  switch (c.type) {
    case 'manual':
      return null;
    case 'hourly': {
      const slot = Math.floor(t / HOUR) * HOUR + c.minute_utc * 60_000;
      return slot <= t ? slot : slot - HOUR;
    }
    case 'daily':
    case 'weekdays': {
      let slot = dayStart(t) + c.hour_utc * HOUR + c.minute_utc * 60_000;
      if (slot > t) slot -= DAY;
      if (c.type === 'weekdays') while (isWeekend(slot)) slot -= DAY;
      return slot;
    }
    case 'weekly': {
      const back = (weekday(t) - DAYS_OF_WEEK.indexOf(c.day_of_week) + 7) % 7;
      const slot = dayStart(t) - back * DAY + c.hour_utc * HOUR + c.minute_utc * 60_000;
      return slot <= t ? slot : slot - 7 * DAY;
    }
  }
}

/** The first slot after `t`; null for a manual cadence. */
export function slotAfter(c: Cadence, t: number): number | null {
  switch (c.type) {
    case 'manual':
      return null;
    case 'hourly': {
      const slot = Math.floor(t / HOUR) * HOUR + c.minute_utc * 60_000;
      return slot > t ? slot : slot + HOUR;
    }
    case 'daily':
    case 'weekdays': {
      let slot = dayStart(t) + c.hour_utc * HOUR + c.minute_utc * 60_000;
      if (slot <= t) slot += DAY;
      if (c.type === 'weekdays') while (isWeekend(slot)) slot += DAY;
      return slot;
    }
    case 'weekly': {
      const ahead = (DAYS_OF_WEEK.indexOf(c.day_of_week) - weekday(t) + 7) % 7;
      const slot = dayStart(t) + ahead * DAY + c.hour_utc * HOUR + c.minute_utc * 60_000;
      return slot > t ? slot : slot + 7 * DAY;
    }
  }
}

/** How many slots lie in (`from`, `to`], at most MAX_COUNTED_SLOTS. */
export function slotsBetween(c: Cadence, from: number, to: number): number {
  let count = 0;
  for (let slot = slotAfter(c, from); slot !== null && slot <= to && count < MAX_COUNTED_SLOTS; slot = slotAfter(c, slot)) count++;
  return count;
}
