import { randomBytes } from 'node:crypto';

/** Trajectory ids look like the cloud's: 8 lowercase hex characters. */
export const TRAJECTORY_ID = /^[0-9a-f]{8}$/;

/** A fresh random id; callers check it against existing ids (32 bits collide eventually). */
export const randomTrajectoryId = (): string => randomBytes(4).toString('hex');
