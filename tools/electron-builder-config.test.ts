import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import type { Configuration } from 'electron-builder';
import { describe, expect, it } from 'vitest';
import viteConfig from '../electron.vite.config';

const root = path.resolve(__dirname, '..');
const read = (rel: string) => readFileSync(path.join(root, rel));
const packageJson = JSON.parse(read('package.json').toString('utf8')) as { main: string };

/** Width and height from a PNG's IHDR chunk. */
function pngSize(data: Buffer): [number, number] {
  expect(data.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [data.readUInt32BE(16), data.readUInt32BE(20)];
}

async function builderConfig(): Promise<Configuration> {
  return getConfig(root, null, null);
}

describe('the packaging configuration (electron-builder.yml)', () => {
  // Loading electron-builder's schema takes seconds on a busy machine.
  it('passes electron-builder’s own loading and schema validation', { timeout: 60_000 }, async () => {
    const config = await builderConfig();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config).toMatchObject({ appId: 'io.jetty.desktop', productName: 'Jetty Desktop' });
    expect(config.mac?.target).toEqual(['dmg', 'zip']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
  });

  it('points at icons that exist, in each platform’s format', async () => {
    const config = await builderConfig();
    const icns = read(config.mac?.icon as string);
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    expect(icns.includes(Buffer.from('ic10'))).toBe(true); // the 1024 px image

    const ico = read(config.win?.icon as string);
    expect([...ico.subarray(0, 4)]).toEqual([0, 0, 1, 0]);
    const entries = ico.readUInt16LE(4);
    const widths = Array.from({ length: entries }, (_, i) => ico[6 + 16 * i] || 256);
    expect(widths).toContain(256);
    expect(widths).toContain(16);

    const linuxDir = config.linux?.icon as string;
    const sizes = readdirSync(path.join(root, linuxDir)).map((name) => {
      const [w, h] = pngSize(read(path.join(linuxDir, name)));
      expect(name).toBe(`${w}x${h}.png`);
      return w;
    });
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 128, 256, 512, 1024]));
    expect(pngSize(read(path.join(config.directories?.buildResources as string, 'icon.png')))).toEqual([1024, 1024]);
  });

  it('packages the entry electron-vite builds, as package.json’s main', async () => {
    const config = await builderConfig();
    const main = viteConfig.main?.build?.rollupOptions?.input as Record<string, string>;
    expect(main.index).toBe(path.join(root, 'electron/main/index.ts'));
    // electron-vite writes the main process to out/main/<input name>.js.
    expect(packageJson.main).toBe('out/main/index.js');
    const files = (config.files as { filter: string[] }[]).flatMap((set) => set.filter); // getConfig's normal form
    expect(files).toContain('out/**');
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**');
    expect(existsSync(path.join(root, 'node_modules/better-sqlite3/package.json'))).toBe(true);
  });

  it('ships the preload electron-vite builds where the main process loads it', () => {
    const preload = viteConfig.preload?.build?.rollupOptions;
    expect(Object.keys(preload?.input as Record<string, string>)).toEqual(['index']);
    expect((preload?.output as { entryFileNames: string }).entryFileNames).toBe('[name].cjs');
    expect(read('electron/main/index.ts').toString('utf8')).toContain("path.join(here, '../preload/index.cjs')");
  });
});
