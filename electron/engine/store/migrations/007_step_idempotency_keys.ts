/**
 * Migration 7: a workflow step's row keeps the idempotency key of its attempt, committed
 * when the attempt begins and before any model call. An attempt cut short by a crash is
 * resumed with that same key, so a provider with idempotency answers it from the call it
 * already made instead of generating again.
 * Never edit this text once released; add the next migration instead.
 */
export const sql = `
ALTER TABLE steps ADD COLUMN idempotency_key TEXT;
`;
