import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_TIMEOUT, FeedError, fetchFeed } from './feed';

// Fetching the feed against a real loopback server: a feed that goes quiet ends in words, not in
// "Loading offers…" for ever. The timeout is made short here; in the widget it is FEED_TIMEOUT.

let server: Server;
let origin = '';
beforeAll(async () => {
  server = createServer((request, response) => {
    const send = (body: string) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(body);
    };
    switch (request.url) {
      case '/silent':
        return; // never answers
      case '/stalls': // answers, sends half, then goes quiet
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.write('[{"id":"1","name":');
        return;
      case '/slow': {
        // 800 ms in all, twice the timeout, but never quiet for long: that is a feed still answering.
        response.writeHead(200, { 'Content-Type': 'application/json' });
        const parts = ['[{"id":"1",', '"name":', '"Choir",', '"status"', ':', '"active"', '}', ' ', ' ', ']'];
        const next = () => {
          const part = parts.shift();
          if (part === undefined) response.end();
          else {
            response.write(part);
            setTimeout(next, 80);
          }
        };
        next();
        return;
      }
      case '/not-json':
        return send('<html>Oops</html>');
      default:
        return send('[]');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the fetch to fail');
};

describe('fetchFeed', () => {
  it('waits about 30 seconds by default', () => {
    expect(FEED_TIMEOUT).toBe(30_000);
  });

  it('gives up on a feed that never answers, and says so', async () => {
    const error = await failure(fetchFeed(`${origin}/silent`, new AbortController().signal, 100));
    expect(error).toBeInstanceOf(FeedError);
    expect((error as Error).message).toBe(
      'The offers could not be fetched: the feed took too long to answer.',
    );
  });

  it('gives up on a feed that stops half-way through its answer', async () => {
    const error = await failure(fetchFeed(`${origin}/stalls`, new AbortController().signal, 100));
    expect((error as Error).message).toContain('took too long to answer');
  });

  it('waits for a feed that is slow but keeps sending', async () => {
    expect(await fetchFeed(`${origin}/slow`, new AbortController().signal, 400)).toEqual([
      { id: '1', name: 'Choir', status: 'active' },
    ]);
  });

  it('says a feed that is not JSON is not JSON', async () => {
    const error = await failure(fetchFeed(`${origin}/not-json`, new AbortController().signal, 1000));
    expect((error as Error).message).toBe('The offers feed is not valid JSON.');
  });

  it('passes the abort on when the list goes away, not as a feed problem', async () => {
    const abort = new AbortController();
    const fetching = failure(fetchFeed(`${origin}/silent`, abort.signal, 10_000));
    abort.abort();
    expect(await fetching).not.toBeInstanceOf(FeedError);
  });
});
