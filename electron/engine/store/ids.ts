import { randomFillSync } from 'node:crypto';

/** Trajectory ids look like the cloud's: 8 lowercase hex characters. */
export const TRAJECTORY_ID = /^[0-9a-f]{8}$/;

const ID_BYTES = 4;
/** Random bytes for 1,024 ids, refilled when used up (one system call instead of one per id). */
const pool = Buffer.alloc(ID_BYTES * 1024);
let next = pool.length;

/** A fresh random id; callers check it against existing ids (32 bits collide eventually). */
export function randomTrajectoryId(): string {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  next += ID_BYTES;
  return pool.toString('hex', next - ID_BYTES, next);
}
