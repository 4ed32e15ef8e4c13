import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
};

export type Route = (request: IncomingMessage, response: ServerResponse) => boolean | Promise<boolean>;

export interface TestServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server: each route may answer a request (returning true); otherwise files are
 * served from `root`. Only 127.0.0.1 is ever bound.
 */
export async function startServer(options: { root?: string; routes?: Route[] } = {}): Promise<TestServer> {
  const server = createServer(async (request, response) => {
    try {
      for (const route of options.routes ?? []) {
        if (await route(request, response)) return;
      }
      if (!options.root) throw Object.assign(new Error('not found'), { code: 'ENOENT' });
      const urlPath = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      const file = path.join(options.root, path.normalize(urlPath).replace(/^(\.\.[/\\])+/, ''));
      if (!file.startsWith(path.resolve(options.root)))
        throw Object.assign(new Error('outside'), { code: 'ENOENT' });
      const body = await readFile(file);
      response.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      if (!response.headersSent) response.writeHead(404, { 'Content-Type': 'text/plain' });
      response.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
