import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

function sendText(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/**
 * The file under `root` a URL path names, or a status to answer: 400 for paths that try to
 * leave the folder (`..`, encoded or not, backslashes, NUL), 404 for anything else unknown.
 */
export function resolveStaticPath(root: string, rawPath: string): string | 400 {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return 400;
  }
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s.includes('\\') || s.includes('\0'))) return 400;
  const file = path.resolve(root, `.${decoded === '/' ? '/index.html' : decoded}`);
  if (file !== root && !file.startsWith(root + path.sep)) return 400;
  return file;
}

/** Serves the built renderer: correct MIME types, long caching for hashed assets only. */
export function createStaticHandler(staticDir: string) {
  const root = path.resolve(staticDir);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'method not allowed');
    }
    const rawPath = (req.url ?? '/').split(/[?#]/)[0];
    const file = resolveStaticPath(root, rawPath);
    if (file === 400) return sendText(res, 400, 'bad path');
    const info = await stat(file).catch(() => null);
    const type = MIME[path.extname(file).toLowerCase()];
    if (!info?.isFile() || !type) return sendText(res, 404, 'not found');
    const hashed = rawPath.startsWith('/assets/');
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': info.size,
      'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  };
}
