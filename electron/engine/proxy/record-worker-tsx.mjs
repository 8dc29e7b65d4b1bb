// Starts the recording thread from the TypeScript sources (vitest, `node --import tsx`):
// a worker thread does not inherit the parent's tsx loader, so it registers its own.
import { register } from 'tsx/esm/api';

register();
await import('./record-worker.ts');
