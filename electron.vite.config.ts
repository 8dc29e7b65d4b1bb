import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from './electron/engine/server/csp';

/**
 * Puts the renderer's CSP into the built index.html as a meta tag, so it holds where no
 * response header can carry it (Electron's file:// load). `jetty serve` sends the same
 * policy as a header; both come from electron/engine/server/csp.ts.
 */
const cspMeta = (): Plugin => ({
  name: 'jetty-csp-meta',
  apply: 'build',
  transformIndexHtml: () => [
    { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
  ],
});

/**
 * js-yaml 3 (under gray-matter) loads esprima, 300 KB, on start-up only to parse
 * `!!js/function` tags, which the safe loader gray-matter uses never accepts. The main
 * bundle gets an empty stand-in, as js-yaml's own browser build has none: `jetty lint`
 * compiles that much less source on every start.
 */
const withoutEsprima = (): Plugin => ({
  name: 'jetty-without-esprima',
  enforce: 'pre',
  resolveId: (id) => (id === 'esprima' ? '\0esprima-unused' : null),
  load: (id) => (id === '\0esprima-unused' ? 'export {};' : null),
});

// Native and heavy Node modules stay external to the main bundle (electron-vite
// externalizes `dependencies`); the CLI is a second entry of the main build, and the
// passthrough's recording thread a third (electron/engine/proxy/record-writer.ts finds it).
// Pure-JS packages loaded at a command's start are bundled instead: zod, gray-matter, and the
// MCP SDK (`jetty mcp` answers tools/list ~80 ms sooner than with its files loaded one by one).
export default defineConfig({
  main: {
    build: {
      externalizeDeps: { exclude: ['zod', 'gray-matter', '@modelcontextprotocol/sdk'] },
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          cli: resolve('electron/cli/index.ts'),
          'record-worker': resolve('electron/engine/proxy/record-worker.ts'),
        },
      },
    },
    plugins: [withoutEsprima()],
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    build: {
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
      // electron-vite leaves every bundle unminified; the renderer's (Monaco, React) is
      // parsed on every window load and page load of `jetty serve`.
      minify: true,
    },
    plugins: [react(), cspMeta()],
  },
});
