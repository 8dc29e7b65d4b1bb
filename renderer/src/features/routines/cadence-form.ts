import type { Cadence } from '../../../../shared/routines';

/** The cadence a form's fields describe (type, "HH:MM" time, day); the engine validates the ranges. */
export function cadenceOf(type: Cadence['type'], time: string, day: string): Cadence {
  const [h, m] = time.split(':').map(Number);
  const at = { hour_utc: h, minute_utc: m };
  switch (type) {
    case 'manual':
      return { type };
    case 'hourly':
      return { type, minute_utc: m };
    case 'weekly':
      return { type, ...at, day_of_week: day as Extract<Cadence, { type: 'weekly' }>['day_of_week'] };
    default:
      return { type, ...at };
  }
}
