#!/usr/bin/env node
// A static file server for dist/ (or any root): correct MIME types (application/wasm matters for
// streaming compilation), no directory traversal, Cache-Control: no-cache so a rebuild shows up
// on reload, and a strict Content-Security-Policy on every response, the way course platforms
// serve pages: no inline scripts or styles, no eval, wasm allowed. Importable by tests:
//
//   const { server, url } = await startServer({ root, port: 0 });  // port 0: any free port
//   ...; server.close();
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

// 'wasm-unsafe-eval' lets WebAssembly compile and nothing else; the Embind module is linked with
// -sDYNAMIC_EXECUTION=0 so it needs no 'unsafe-eval'. tests/browser/csp.test.js holds the pages to it.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "worker-src 'self' blob:",
].join('; ');

function send(response, status, message) {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-cache',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  });
  response.end(`${message}\n`);
}

// The file a request path names inside root, or null when it would leave root (`..`, encoded
// separators, NUL bytes, malformed escapes).
export function resolveInside(root, requestPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const target = resolve(root, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`);
  const fromRoot = relative(root, target);
  if (fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || resolve(root, fromRoot) !== target) return null;
  return target;
}

async function handle(root, request, response) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    send(response, 405, 'method not allowed');
    return;
  }
  const { pathname } = new URL(request.url ?? '/', 'http://localhost');
  let file = resolveInside(root, pathname);
  if (file === null) {
    send(response, 403, 'forbidden');
    return;
  }
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    if (!pathname.endsWith('/')) {
      response.writeHead(301, { Location: `${pathname}/`, 'Cache-Control': 'no-cache', 'Content-Security-Policy': CONTENT_SECURITY_POLICY });
      response.end();
      return;
    }
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) {
    send(response, 404, `not found: ${pathname}`);
    return;
  }
  response.writeHead(200, {
    'Content-Type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(file).on('error', () => response.destroy()).pipe(response);
}

/**
 * Serves `root` on http://host:port/.
 * @param {{root: string, port?: number, host?: string}} options  port 0 picks a free port
 * @returns {Promise<{server: import('node:http').Server, url: string}>}
 */
export function startServer({ root, port = 8080, host = '127.0.0.1' }) {
  const absoluteRoot = resolve(root);
  const server = createServer((request, response) => {
    handle(absoluteRoot, request, response).catch((error) => {
      if (!response.headersSent) send(response, 500, `internal error: ${error.message}`);
      else response.destroy();
    });
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolvePromise({ server, url: `http://${host}:${address.port}/` });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
  const port = Number(process.env.PORT ?? 8080);
  const { url } = await startServer({ root, port });
  console.log(`serving ${root.split(sep).join('/')} at ${url}`);
}
