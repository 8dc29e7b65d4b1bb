// The snapshots install the agent CLIs at the versions the real-CLI tests run
// (resources/sandboxes/common/agent-clis.sh), so a pin moves in both places or fails here.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLAUDE_CODE_VERSION } from '../helpers/claude-code-image';
import { CODEX_VERSION } from '../helpers/codex-image';
import { GEMINI_CLI_VERSION } from '../helpers/gemini-image';

const SANDBOXES = path.resolve(__dirname, '../../resources/sandboxes');

describe('the agent CLIs of the snapshots', () => {
  it('are pinned to the versions the tests run', async () => {
    const script = await readFile(path.join(SANDBOXES, 'common/agent-clis.sh'), 'utf8');
    const pin = (name: string) => new RegExp(`^${name}=(.+)$`, 'm').exec(script)?.[1];
    expect({ claude: pin('CLAUDE_CODE_VERSION'), codex: pin('CODEX_VERSION'), gemini: pin('GEMINI_CLI_VERSION') }).toEqual({
      claude: CLAUDE_CODE_VERSION,
      codex: CODEX_VERSION,
      gemini: GEMINI_CLI_VERSION,
    });
  });

  it('are installed by every snapshot Dockerfile', async () => {
    const snapshots = (await readdir(SANDBOXES, { withFileTypes: true })).filter((e) => e.isDirectory() && e.name !== 'common').map((e) => e.name);
    expect(snapshots.length).toBeGreaterThan(1);
    for (const snapshot of snapshots) {
      const dockerfile = await readFile(path.join(SANDBOXES, snapshot, 'Dockerfile'), 'utf8');
      expect(dockerfile, snapshot).toContain('COPY common/agent-clis.sh /tmp/jetty-agent-clis.sh');
      expect(dockerfile, snapshot).toContain('RUN SKIP_AGENT_CLIS="$SKIP_AGENT_CLIS" sh /tmp/jetty-agent-clis.sh');
    }
  });
});
