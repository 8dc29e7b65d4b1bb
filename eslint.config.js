import tseslint from 'typescript-eslint';
import layers from './tools/eslint-layers.js';

const LISTEN_MESSAGE = 'the engine listens only in server/local-server.ts and gateway/run-listener.ts; call the relay or the API in process instead';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { jetty: layers },
    rules: {
      'jetty/layers': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The engine listens in two places only: the local server and the run gateway's listener.
    // Anything else that needs a model or an API calls it in process (the relay's sinks).
    files: ['electron/engine/**/*.ts'],
    ignores: ['electron/engine/server/local-server.ts', 'electron/engine/gateway/run-listener.ts', 'electron/engine/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        ...['http', 'node:http', 'https', 'node:https', 'net', 'node:net', 'http2', 'node:http2'].map((name) => ({
          name,
          importNames: ['createServer', 'createSecureServer', 'Server'],
          message: LISTEN_MESSAGE,
        })),
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name=/^(createServer|createSecureServer)$/]", message: LISTEN_MESSAGE },
        { selector: "CallExpression[callee.name=/^(createServer|createSecureServer)$/]", message: LISTEN_MESSAGE },
      ],
    },
  },
);
