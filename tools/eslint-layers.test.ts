import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const eslint = new ESLint({ cwd: root });

/** The layer-rule messages for `code` linted as if it were the file `rel`. */
async function layerErrors(rel: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, rel) });
  return result.messages.filter((m) => m.ruleId === 'jetty/layers').map((m) => m.message);
}

describe('the layer rule', () => {
  it('keeps Electron out of the engine and the engine out of the renderer', async () => {
    expect(await layerErrors('electron/engine/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([
      "layer 'engine' may not import 'electron' (layer 'electron')",
    ]);
    expect(await layerErrors('renderer/src/x.ts', "import { openStore } from '../../electron/engine/store';\nexport const a = openStore;\n")).toEqual([
      "layer 'renderer' may not import '../../electron/engine/store' (layer 'engine')",
    ]);
  });

  it('keeps Node built-ins out of the renderer and shared code', async () => {
    expect(await layerErrors('renderer/src/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toHaveLength(1);
    expect(await layerErrors('shared/x.ts', "import path from 'path';\nexport const a = path;\n")).toHaveLength(1);
  });

  it('allows what the architecture allows', async () => {
    expect(await layerErrors('electron/main/x.ts', "import { app } from 'electron';\nimport { createEngine } from '../engine/api';\nexport const a = [app, createEngine];\n")).toEqual([]);
    expect(await layerErrors('renderer/src/x.ts', "import { methods } from '../../shared/contract';\nexport const a = methods;\n")).toEqual([]);
  });

  it('lets a test beside its code import vitest and Node built-ins, and nothing more of other layers', async () => {
    const test = "import { EventEmitter } from 'node:events';\nimport { it } from 'vitest';\nimport { exposeJettyBridge } from './bridge';\nexport const a = [EventEmitter, it, exposeJettyBridge];\n";
    expect(await layerErrors('electron/preload/bridge.test.ts', test)).toEqual([]);
    expect(await layerErrors('electron/preload/bridge.ts', test)).toHaveLength(2);
    expect(await layerErrors('electron/preload/bridge.test.ts', "import { openStore } from '../engine/store';\nexport const a = openStore;\n")).toEqual([
      "layer 'preload' may not import '../engine/store' (layer 'engine')",
    ]);
  });

  it('flags files that fit no layer', async () => {
    expect(await layerErrors('misc/x.ts', 'export const a = 1;\n')).toEqual(['file fits no layer (shared, engine, main, preload, cli, renderer)']);
  });

  it("holds the engine's folders to their ranks: only lower ranks, never a sibling of the same rank, never an unranked folder", async () => {
    expect(await layerErrors('electron/engine/store/x.ts', "import { createRunner } from '../runs/runner';\nexport const a = createRunner;\n")).toEqual([
      "engine 'store' (rank 2) may not import 'runs' (rank 6): an engine folder imports only lower ranks",
    ]);
    expect(await layerErrors('electron/engine/proxy/x.test.ts', "import { createRunGateway } from '../gateway/run-gateway';\nexport const a = createRunGateway;\n")).toEqual([
      "engine 'proxy' (rank 4) may not import 'gateway' (rank 5): an engine folder imports only lower ranks",
    ]);
    expect(await layerErrors('electron/engine/storage/x.ts', "import { getAgentRuntime } from '../agents/registry';\nexport const a = getAgentRuntime;\n")).toEqual([
      "engine 'storage' (rank 5) may not import 'agents' (rank 5): folders of one rank never import each other",
    ]);
    expect(await layerErrors('electron/engine/newthing/x.ts', "import { openStore } from '../store';\nexport const a = openStore;\n")).toEqual([
      "engine folder 'newthing' has no rank: add it to ENGINE_RANKS in tools/eslint-layers.js",
    ]);
    expect(await layerErrors('electron/engine/runs/x.ts', "import { createRunGateway } from '../gateway/run-gateway';\nimport { openStore } from '../store';\nimport { sendJson } from '../http/respond';\nexport const a = [createRunGateway, openStore, sendJson];\n")).toEqual([]);
  });

  it('lets the engine listen only in the local server and the run gateway listener', async () => {
    const listens = "import http from 'node:http';\nexport const s = http.createServer(() => undefined);\n";
    const messagesOf = async (rel: string) => (await eslint.lintText(listens, { filePath: path.join(root, rel) }))[0].messages.map((m) => m.ruleId);
    expect(await messagesOf('electron/engine/workflows/model-client.ts')).toContain('no-restricted-syntax');
    expect(await messagesOf('electron/engine/server/local-server.ts')).not.toContain('no-restricted-syntax');
    expect(await messagesOf('electron/engine/gateway/run-listener.ts')).not.toContain('no-restricted-syntax');
  });
});
