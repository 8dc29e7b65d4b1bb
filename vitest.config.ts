import { defineConfig } from 'vitest/config';

// Three projects: unit tests sit beside the code; integration tests use real Docker,
// SQLite and HTTP; e2e tests drive Debian Chromium against `jetty serve`.
export default defineConfig({
  test: {
    // Two test files at once (vitest's default is cores - 1, one file at a time on a 2-core
    // machine): integration files mostly wait on Docker, HTTP and disk, not on a core. The
    // e2e files still run one at a time (one browser), beside the other projects' files.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/src/**/*.test.ts', 'tools/**/*.test.ts'],
          environment: 'node',
          // A guard against a hang, not a speed check: some unit tests write thousands of files
          // (uploads/folder-archive), which a loaded machine makes take several seconds.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
