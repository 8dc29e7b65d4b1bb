// Preloaded with `node --import ./test/helpers/import-log.mjs`: appends every package a
// process imports by name (not relative files nor node: built-ins) to the file named by
// JETTY_IMPORT_LOG, one per line. The same file is the module-resolution hook, registered
// from the main thread and run by Node on its hooks thread.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) register(import.meta.url);

const BY_NAME = /^(?![./]|node:|file:|data:)/;

export async function resolve(specifier, context, next) {
  if (BY_NAME.test(specifier) && process.env.JETTY_IMPORT_LOG) appendFileSync(process.env.JETTY_IMPORT_LOG, `${specifier}\n`);
  return next(specifier, context);
}
