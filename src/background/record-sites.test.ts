import { describe, expect, it } from 'vitest';
import type { RecordSite } from '../core/settings';
import {
  oneAtATime,
  RECORD_PAGE_SCRIPT,
  recordSiteFor,
  type ScriptingApi,
  syncRecordSiteScripts,
} from './record-sites';

// The record-page script's registrations, against a fake of chrome.scripting that behaves as Chrome's
// does: each call takes a while, and registering an id twice or unregistering an unknown id fails.

const GP = 'https://gp.example.nhs.uk';
const SECOND = 'https://second.example.nhs.uk';
const ID = (origin: string) => `linkwell-record-site:${origin}`;

/** Lets other work run, as a round trip to the browser does. */
const aWhile = () => new Promise((resolve) => setTimeout(resolve, 1));

function fakeScripting() {
  const registered = new Map<string, chrome.scripting.RegisteredContentScript>();
  const api: ScriptingApi = {
    async getRegisteredContentScripts() {
      await aWhile();
      return [...registered.values()].map((script) => ({ ...script }));
    },
    async registerContentScripts(scripts) {
      await aWhile();
      for (const script of scripts) {
        if (registered.has(script.id)) throw new Error(`Duplicate script ID '${script.id}'`);
      }
      for (const script of scripts) registered.set(script.id, script);
    },
    async unregisterContentScripts(filter) {
      await aWhile();
      for (const id of filter.ids) {
        if (!registered.has(id)) throw new Error(`Nonexistent script ID '${id}'`);
      }
      for (const id of filter.ids) registered.delete(id);
    },
  };
  return { api, registered, ids: () => [...registered.keys()].sort() };
}

/** The world the sync reads: the configured sites and what the browser has granted. */
function world(sites: string[], granted: string[]) {
  const state = { sites: sites.map((origin): RecordSite => ({ origin })), granted: new Set(granted) };
  const isGranted = async (origin: string) => {
    await aWhile();
    return state.granted.has(origin);
  };
  return { state, isGranted };
}

describe('syncRecordSiteScripts', () => {
  it('registers the script for each configured site the browser has granted, and no other', async () => {
    const scripting = fakeScripting();
    const { state, isGranted } = world([GP, SECOND], [GP, 'https://elsewhere.example.org']);
    expect(await syncRecordSiteScripts(state.sites, isGranted, scripting.api)).toEqual([GP]);
    expect(scripting.ids()).toEqual([ID(GP)]);
    expect(scripting.registered.get(ID(GP))).toMatchObject({
      matches: [`${GP}/*`],
      js: [RECORD_PAGE_SCRIPT],
      allFrames: false,
      persistAcrossSessions: true,
    });
  });

  it('unregisters a site whose permission is withdrawn', async () => {
    const scripting = fakeScripting();
    const { state, isGranted } = world([GP, SECOND], [GP, SECOND]);
    await syncRecordSiteScripts(state.sites, isGranted, scripting.api);
    expect(scripting.ids()).toEqual([ID(GP), ID(SECOND)]);
    state.granted.delete(GP);
    expect(await syncRecordSiteScripts(state.sites, isGranted, scripting.api)).toEqual([SECOND]);
    expect(scripting.ids()).toEqual([ID(SECOND)]);
  });

  it('unregisters a site that is no longer in the settings', async () => {
    const scripting = fakeScripting();
    const { state, isGranted } = world([GP], [GP]);
    await syncRecordSiteScripts(state.sites, isGranted, scripting.api);
    state.sites = [];
    await syncRecordSiteScripts(state.sites, isGranted, scripting.api);
    expect(scripting.ids()).toEqual([]);
  });

  it('leaves other scripts of the extension alone', async () => {
    const scripting = fakeScripting();
    scripting.registered.set('something-else', {
      id: 'something-else',
      matches: ['https://*/*'],
      js: ['x.js'],
    });
    const { state, isGranted } = world([], []);
    await syncRecordSiteScripts(state.sites, isGranted, scripting.api);
    expect(scripting.ids()).toEqual(['something-else']);
  });

  it('fails when two runs overlap (which is why the background runs them one at a time)', async () => {
    const scripting = fakeScripting();
    const { state, isGranted } = world([GP], [GP]);
    const overlapping = Promise.all([
      syncRecordSiteScripts(state.sites, isGranted, scripting.api),
      syncRecordSiteScripts(state.sites, isGranted, scripting.api),
    ]);
    await expect(overlapping).rejects.toThrow(`Duplicate script ID '${ID(GP)}'`);
  });
});

describe('oneAtATime (the background’s record-site sync)', () => {
  it('ends consistent with the latest settings and permissions when calls overlap', async () => {
    const scripting = fakeScripting();
    const { state, isGranted } = world([GP, SECOND], [GP]);
    const sync = oneAtATime(() => syncRecordSiteScripts(state.sites, isGranted, scripting.api));
    const calls: Promise<string[]>[] = [sync()];
    // While that runs: the second site is granted, then the first is withdrawn and removed.
    state.granted.add(SECOND);
    calls.push(sync());
    await aWhile();
    state.granted.delete(GP);
    state.sites = [{ origin: SECOND }];
    calls.push(sync(), sync());
    const results = await Promise.all(calls);
    expect(results.at(-1)).toEqual([SECOND]);
    expect(scripting.ids()).toEqual([ID(SECOND)]);
  });

  it('serves every call that arrives during a run with one more run', async () => {
    let runs = 0;
    let active = 0;
    let mostAtOnce = 0;
    const sync = oneAtATime(async () => {
      runs += 1;
      active += 1;
      mostAtOnce = Math.max(mostAtOnce, active);
      await aWhile();
      active -= 1;
      return runs;
    });
    const results = await Promise.all([sync(), sync(), sync(), sync(), sync()]);
    expect(results).toEqual([1, 2, 2, 2, 2]);
    expect(mostAtOnce).toBe(1);
    expect(await sync()).toBe(3);
  });

  it('runs again after a run that failed', async () => {
    let runs = 0;
    const sync = oneAtATime(async () => {
      runs += 1;
      await aWhile();
      if (runs === 1) throw new Error('the browser said no');
      return runs;
    });
    const first = sync();
    const second = sync();
    await expect(first).rejects.toThrow('the browser said no');
    expect(await second).toBe(2);
  });
});

describe('recordSiteFor', () => {
  it('finds the configured site of a page by its origin', () => {
    const sites: RecordSite[] = [{ origin: GP, label: 'Clinical system' }];
    expect(recordSiteFor(sites, `${GP}/patients/1?tab=2`)).toEqual(sites[0]);
    expect(recordSiteFor(sites, 'https://gp.example.nhs.uk.evil.example/patients')).toBeUndefined();
    expect(recordSiteFor(sites, undefined)).toBeUndefined();
    expect(recordSiteFor(sites, 'not a url')).toBeUndefined();
  });
});
