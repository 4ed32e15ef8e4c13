import { describe, expect, it } from 'vitest';
import { checkOfferFeed } from './feed-check';

// Checking an offer feed from the options page: what the practice manager is told.

const URL_OF_FEED = 'https://museum.example.org/offers.json';
const page = {
  total_items: 2,
  total_pages: 1,
  page_number: 1,
  size: 2,
  contents: [
    { id: 'walk', name: 'Walking group', status: 'active' },
    { id: 'broken', name: 42, status: 'active' },
  ],
};
const failing = async () => {
  throw new TypeError('Failed to fetch');
};

describe('checkOfferFeed', () => {
  it('counts the offers and what was skipped', async () => {
    const result = await checkOfferFeed(URL_OF_FEED, async () => Response.json(page));
    expect(result.ok && result.value).toMatchObject({ offers: 1, skipped: 1, pages: 1 });
  });

  it('reads each page of an API that counts its pages from 0 once, and stops at the last', async () => {
    const asked: string[] = [];
    const result = await checkOfferFeed(URL_OF_FEED, async (input) => {
      const url = new URL(String(input));
      asked.push(url.search);
      const number = Number(url.searchParams.get('page') ?? 0);
      return Response.json({
        number,
        totalPages: 2,
        content: [{ name: `Group on page ${number}`, status: 'active' }],
      });
    });
    expect(asked).toEqual(['', '?page=1']);
    expect(result.ok && result.value).toMatchObject({ offers: 2, skipped: 0, pages: 2 });
  });

  it('says that access was not allowed when the feed cannot be fetched without it', async () => {
    const asked: string[] = [];
    const result = await checkOfferFeed(URL_OF_FEED, failing, async (origin) => {
      asked.push(origin);
      return false;
    });
    expect(asked).toEqual(['https://museum.example.org']);
    expect(result).toEqual({
      ok: false,
      problem:
        'Linkwell has not been allowed to fetch from https://museum.example.org. Press Check feed again and choose Allow when the browser asks.',
    });
  });

  it('says the feed could not be fetched when access was allowed', async () => {
    const result = await checkOfferFeed(URL_OF_FEED, failing, async () => true);
    expect(result).toEqual({
      ok: false,
      problem: 'The feed could not be fetched. Check the address, and that the server lets Linkwell read it.',
    });
  });

  it('gives the server’s status when it answered with an error', async () => {
    const result = await checkOfferFeed(URL_OF_FEED, async () => new Response('', { status: 404 }));
    expect(result).toEqual({
      ok: false,
      problem: 'The feed could not be fetched: the server answered HTTP 404.',
    });
  });
});
