// Small HTTP pieces the demo servers share: loopback listening with a port fallback, static files,
// JSON answers and bounded request bodies. Plain Node, no dependencies, so `npm start` needs no build
// step for the servers themselves.
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';

/** Only this address is ever bound: the demo is for this computer alone (CONTRACT.md section 6). */
export const LOOPBACK = '127.0.0.1';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * Starts `handler` on 127.0.0.1 at `preferredPort`; when that port is taken, tries the next few, then
 * any free port. Resolves with the server and the port it got.
 * @param {import('node:http').RequestListener} handler
 * @param {number} preferredPort 0 for any free port
 * @returns {Promise<{ server: import('node:http').Server; port: number }>}
 */
export async function listenOnLoopback(handler, preferredPort) {
  const candidates =
    preferredPort === 0 ? [0] : [0, 1, 2, 3, 4, 5].map((step) => preferredPort + step * 10).concat([0]);
  let lastError;
  for (const port of candidates) {
    const server = createServer(handler);
    try {
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, LOOPBACK, () => {
          server.off('error', reject);
          resolve(undefined);
        });
      });
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      return { server, port: address.port };
    } catch (error) {
      lastError = error;
      server.close();
      if (!(error instanceof Error && 'code' in error && error.code === 'EADDRINUSE')) throw error;
    }
  }
  throw lastError;
}

/**
 * Serves a file from `root` for a GET or HEAD of `urlPath` (`/` is `index.html`). Answers 404 for
 * anything outside `root` or missing. Returns true when it answered.
 * @param {import('node:http').IncomingMessage} request
 * @param {import('node:http').ServerResponse} response
 * @param {string} root
 * @param {Record<string, string>} [extraHeaders]
 */
export async function serveStatic(request, response, root, extraHeaders = {}) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendText(response, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
    return true;
  }
  let urlPath;
  try {
    urlPath = decodeURIComponent(new URL(request.url ?? '/', 'http://demo.invalid').pathname);
  } catch {
    sendText(response, 400, 'Bad request');
    return true;
  }
  if (urlPath.endsWith('/')) urlPath += 'index.html';
  const base = path.resolve(root);
  const file = path.resolve(base, `.${path.posix.normalize(urlPath)}`);
  // Path traversal: a request must stay inside the folder it is served from.
  if (file !== base && !file.startsWith(base + path.sep)) {
    sendText(response, 404, 'Not found');
    return true;
  }
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a file');
    const body = await readFile(file);
    response.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': body.length,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      ...extraHeaders,
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  } catch {
    sendText(response, 404, 'Not found');
  }
  return true;
}

/**
 * @param {import('node:http').ServerResponse} response
 * @param {number} status
 * @param {unknown} value
 * @param {Record<string, string>} [headers]
 */
export function sendJson(response, status, value, headers = {}) {
  const body = JSON.stringify(value, null, 2);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  response.end(body);
}

/**
 * @param {import('node:http').ServerResponse} response
 * @param {number} status
 * @param {string} text
 * @param {Record<string, string>} [headers]
 */
export function sendText(response, status, text, headers = {}) {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  response.end(text);
}

/** Thrown by `readBody` when a request is larger than allowed. */
export class BodyTooLarge extends Error {}

/**
 * Reads a request body as UTF-8 text, refusing more than `limit` bytes.
 * @param {import('node:http').IncomingMessage} request
 * @param {number} limit
 * @returns {Promise<string>}
 */
export function readBody(request, limit) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge(`more than ${limit} bytes`));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * Closes a server and every connection it holds, so the port is free when this resolves.
 * @param {import('node:http').Server} server
 */
export function closeServer(server) {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve(undefined));
  });
}
