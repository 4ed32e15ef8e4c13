// Serves the demo museum page on loopback for a quick look: `npm run build && node demo/museum/serve.mjs`.
// `linkwell-offers.js` comes from the build (dist/widget), everything else from this folder.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const widget = path.resolve(here, '../../dist/widget');
const TYPES = {
  '.html': 'text/html',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.json': 'application/json',
};

const server = createServer(async (request, response) => {
  const name = path.basename(new URL(request.url ?? '/', 'http://x').pathname) || 'index.html';
  const file =
    name === 'linkwell-offers.js' ||
    name === 'builder.html' ||
    name === 'builder.js' ||
    name === 'builder.css'
      ? path.join(widget, name)
      : path.join(here, name);
  try {
    const body = await readFile(file);
    response.writeHead(200, {
      'Content-Type': `${TYPES[path.extname(file)] ?? 'text/plain'}; charset=utf-8`,
    });
    response.end(body);
  } catch {
    response.writeHead(404, { 'Content-Type': 'text/plain' });
    response.end('not found');
  }
});
const port = Number(process.env.PORT ?? 8081);
server.listen(port, '127.0.0.1', () => console.log(`Demo museum: http://127.0.0.1:${port}/`));
