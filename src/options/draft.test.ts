import { describe, expect, it } from 'vitest';
import type { Settings } from '../core/settings';
import {
  checkDraft,
  describePath,
  documentFromDraft,
  draftFromSettings,
  emptyLinkWorker,
  fieldId,
  idFromName,
  originFromAddress,
} from './draft';

const settings: Settings = {
  version: 1,
  practice: { name: 'Severnside Surgery', odsCode: 'L84001' },
  linkWorkers: [
    {
      id: 'pcn-lw',
      name: 'Severnside PCN link worker',
      delivery: { method: 'fhir', endpoint: 'https://sp.example.org/fhir/$process-message', token: 't' },
    },
    { id: 'vcs', name: 'Community Connections', delivery: { method: 'email', to: 'connections@nhs.net' } },
  ],
  recordSites: [{ origin: 'https://gp.example.nhs.uk', selectors: { nhsNumber: '#banner .nhs' } }],
  offerFeeds: [{ url: 'https://museum.example.org/offers.json', label: 'Museum' }],
  retentionDays: 30,
};

describe('the settings draft', () => {
  it('gives back the same settings it was made from', () => {
    expect(checkDraft(draftFromSettings(settings))).toEqual({ ok: true, settings });
  });

  it('leaves blank optional fields out of the document instead of writing ""', () => {
    const draft = draftFromSettings(settings);
    draft.odsCode = '  ';
    // No link worker by FHIR, which needs the ODS code.
    draft.linkWorkers = draft.linkWorkers.filter((linkWorker) => linkWorker.method === 'email');
    const linkWorker = {
      ...emptyLinkWorker(),
      id: 'new',
      name: 'New',
      method: 'email' as const,
      to: 'a@nhs.net',
    };
    draft.linkWorkers.push(linkWorker);
    const document = documentFromDraft(draft) as Settings;
    expect(document.practice).toEqual({ name: 'Severnside Surgery' });
    expect(document.linkWorkers[1]).toEqual({
      id: 'new',
      name: 'New',
      delivery: { method: 'email', to: 'a@nhs.net' },
    });
    expect(checkDraft(draft).ok).toBe(true);
  });

  it('leaves out a record site’s selectors when none is filled in', () => {
    const draft = draftFromSettings(settings);
    const [site] = draft.recordSites;
    if (site) site.nhsNumber = '';
    expect((documentFromDraft(draft) as Settings).recordSites[0]).toEqual({
      origin: 'https://gp.example.nhs.uk',
    });
  });

  it('keeps only the chosen delivery method’s fields', () => {
    const draft = draftFromSettings(settings);
    const [first] = draft.linkWorkers;
    if (first) first.method = 'email';
    const document = documentFromDraft(draft) as Settings;
    expect(document.linkWorkers[0]?.delivery).toEqual({ method: 'email' });
  });

  it('reports problems at the paths of the fields', () => {
    const draft = draftFromSettings(settings);
    draft.practiceName = '';
    draft.retentionDays = 'a month';
    const [first] = draft.linkWorkers;
    if (first) first.endpoint = 'http://sp.example.org/fhir';
    const result = checkDraft(draft);
    expect(result.ok ? [] : result.problems).toEqual([
      { path: 'practice.name', message: 'is missing' },
      { path: 'linkWorkers[0].delivery.endpoint', message: 'must be https' },
      { path: 'retentionDays', message: 'must be a whole number of days from 1 to 365' },
    ]);
  });

  it('takes the default retention when the field is blank', () => {
    const draft = draftFromSettings(settings);
    draft.retentionDays = '';
    const result = checkDraft(draft);
    expect(result.ok && result.settings.retentionDays).toBe(30);
  });
});

describe('fieldId', () => {
  it('makes an element id from a path', () => {
    expect(fieldId('linkWorkers[0].delivery.endpoint')).toBe('field-linkWorkers-0-delivery-endpoint');
  });
});

describe('describePath', () => {
  it('names the row and the field', () => {
    const draft = draftFromSettings(settings);
    expect(describePath('linkWorkers[1].delivery.to', draft)).toBe(
      'Link worker 2 (Community Connections): Email referrals to',
    );
    expect(describePath('retentionDays', draft)).toBe('Days to keep referral details');
  });
});

describe('idFromName', () => {
  it('makes a short id from a name', () => {
    expect(idFromName('Severnside PCN Link Worker', [])).toBe('severnside-pcn-link-worker');
  });
  it('adds a number when the id is taken', () => {
    expect(idFromName('Vcs', ['vcs', 'vcs-2'])).toBe('vcs-3');
  });
  it('falls back when the name has no letters or digits', () => {
    expect(idFromName('—', [])).toBe('link-worker');
  });
});

describe('originFromAddress', () => {
  it('keeps only the scheme, host and port of an address', () => {
    expect(originFromAddress(' https://gp.example.nhs.uk:8443/patients/1?x=2 ')).toEqual({
      ok: true,
      origin: 'https://gp.example.nhs.uk:8443',
    });
  });
  it('assumes https when no scheme is given', () => {
    expect(originFromAddress('gp.example.nhs.uk')).toEqual({ ok: true, origin: 'https://gp.example.nhs.uk' });
  });
  it('takes plain http only on this computer, where the browser can allow it', () => {
    expect(originFromAddress('http://localhost:8451/record')).toEqual({
      ok: true,
      origin: 'http://localhost:8451',
    });
    expect(originFromAddress('http://gp.example.nhs.uk/patients')).toEqual({
      ok: false,
      message:
        'Enter an address starting with https://: the browser cannot let Linkwell read a site over plain http://, except on this computer (localhost, 127.0.0.1 or [::1])',
    });
  });
  it('refuses other schemes and blank text', () => {
    expect(originFromAddress('ftp://gp.example.nhs.uk').ok).toBe(false);
    expect(originFromAddress('').ok).toBe(false);
  });
});
