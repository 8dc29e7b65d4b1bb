#!/usr/bin/env node
// The `jetty` command: runs the built CLI (npm run build produces out/main/cli.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('jetty: the CLI is not built yet. Run `npm run build` in the jetty-desktop folder first.\n');
  process.exit(2);
}
await import(cli);
