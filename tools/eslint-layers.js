// A layer rule in the spirit of VS Code's: each source folder is a layer, and a layer
// may import only the layers listed for it. Files that fit no layer are flagged.
import { builtinModules } from 'node:module';
import path from 'node:path';

const NODE = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Layer of a repository-relative path, or null when it fits no layer. */
export function layerOf(rel) {
  const p = rel.split(path.sep).join('/');
  if (p.startsWith('shared/')) return 'shared';
  if (p.startsWith('electron/engine/')) return 'engine';
  if (p.startsWith('electron/main/')) return 'main';
  if (p.startsWith('electron/preload/')) return 'preload';
  if (p.startsWith('electron/cli/') || p.startsWith('bin/')) return 'cli';
  if (p.startsWith('renderer/')) return 'renderer';
  if (p.startsWith('test/') || p.startsWith('bench/') || p.startsWith('tools/')) return 'tooling';
  if (!p.includes('/')) return 'tooling'; // root config files
  return null;
}

/**
 * The engine's ranks, lowest first: a folder (or a file at the engine's top) may import
 * only from its own folder and from ranks below it; siblings of one rank never import each
 * other. docs/architecture.md explains each rank.
 */
export const ENGINE_RANKS = [
  ['base', 'wire'],
  ['http'],
  ['store', 'sandbox', 'secrets'],
  ['runbook'],
  ['proxy', 'trajectories', 'workspace', 'uploads', 'mcp-client'],
  ['gateway', 'agents', 'storage', 'webhooks', 'interop'],
  ['runs', 'routines'],
  ['workflows', 'cloud'],
  ['operations', 'evaluations'],
  ['server'],
  ['mcp'],
  ['local-services'],
  ['handlers'],
  ['api'],
];
const RANK = new Map(ENGINE_RANKS.flatMap((units, rank) => units.map((unit) => [unit, rank])));

/** The engine folder (or top-level file) a repository-relative engine path belongs to. */
export function engineUnitOf(rel) {
  const p = rel.split(path.sep).join('/');
  return p.startsWith('electron/engine/') ? p.slice('electron/engine/'.length).split('/')[0].replace(/\.(test\.)?m?[jt]s$/, '') : null;
}

/** Why an import from one engine unit to another breaks the ranks, or null. */
export function rankProblem(from, to) {
  if (from === to) return null;
  if (!RANK.has(from)) return `engine folder '${from}' has no rank: add it to ENGINE_RANKS in tools/eslint-layers.js`;
  if (!RANK.has(to)) return `engine folder '${to}' has no rank: add it to ENGINE_RANKS in tools/eslint-layers.js`;
  if (RANK.get(to) < RANK.get(from)) return null;
  const same = RANK.get(to) === RANK.get(from);
  return `engine '${from}' (rank ${RANK.get(from)}) may not import '${to}' (rank ${RANK.get(to)}): ${same ? 'folders of one rank never import each other' : 'an engine folder imports only lower ranks'}`;
}

// What each layer may import: other layers, plus 'node' (built-ins), 'electron', 'packages'.
const ALLOWED = {
  shared: ['shared', 'packages'],
  engine: ['shared', 'engine', 'node', 'packages'],
  main: ['shared', 'engine', 'main', 'node', 'electron', 'packages'],
  preload: ['shared', 'preload', 'electron'],
  cli: ['shared', 'engine', 'cli', 'node', 'packages'],
  renderer: ['shared', 'renderer', 'packages'],
  tooling: ['shared', 'engine', 'cli', 'tooling', 'renderer', 'node', 'packages'],
};

function targetOf(spec, fromFile, root) {
  if (spec === 'electron' || spec.startsWith('electron/')) return 'electron';
  if (NODE.has(spec)) return 'node';
  if (spec.startsWith('.')) {
    const rel = path.relative(root, path.resolve(path.dirname(fromFile), spec));
    // The package manifest (name, version) is data any Node layer may read.
    return rel === 'package.json' ? 'packages' : layerOf(rel);
  }
  return 'packages';
}

const rule = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    const layer = layerOf(path.relative(root, file));
    // A test beside its code runs under vitest in Node, whatever its layer.
    const isTest = /\.test\.tsx?$/.test(file);
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !layer) return;
      const target = targetOf(spec, file, root);
      if (isTest && (target === 'node' || target === 'packages')) return;
      if (target === null) {
        context.report({ node, message: `'${spec}' points outside every layer` });
      } else if (!ALLOWED[layer].includes(target)) {
        context.report({ node, message: `layer '${layer}' may not import '${spec}' (layer '${target}')` });
      } else if (layer === 'engine' && target === 'engine') {
        const problem = rankProblem(engineUnitOf(path.relative(root, file)), engineUnitOf(path.relative(root, path.resolve(path.dirname(file), spec))));
        if (problem) context.report({ node, message: problem });
      }
    };
    return {
      Program(node) {
        if (!layer) context.report({ node, message: 'file fits no layer (shared, engine, main, preload, cli, renderer)' });
      },
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
    };
  },
};

export default { rules: { layers: rule } };
