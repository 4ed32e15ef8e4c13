// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportSettings, type Settings } from '../core/settings';
import { type FakeConnector, fakeConnector } from './fake-connector';
import { OptionsPage } from './options-page';

// The options page rendered with the fake connector, driven by label and button name as a person would.

const settings: Settings = {
  version: 1,
  practice: { name: 'Severnside Surgery', odsCode: 'L84001' },
  linkWorkers: [
    {
      id: 'pcn-lw',
      name: 'Severnside PCN link worker',
      delivery: { method: 'fhir', endpoint: 'https://sp.example.org/fhir/$process-message', token: 'secret' },
    },
    { id: 'vcs', name: 'Community Connections', delivery: { method: 'email', to: 'connections@nhs.net' } },
  ],
  recordSites: [],
  offerFeeds: [],
  retentionDays: 30,
};

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

const settle = () => act(async () => new Promise((resolve) => setTimeout(resolve, 0)));

async function show(connector: FakeConnector) {
  await act(async () => render(<OptionsPage connector={connector} />, root));
  await settle();
  await settle();
}

/** The controls labelled `text`, in page order. */
function fieldsLabelled(text: string): HTMLInputElement[] {
  return [...root.querySelectorAll('label')]
    .filter((label) => label.textContent?.trim() === text)
    .map((label) => document.getElementById(label.htmlFor) as HTMLInputElement);
}
function field(text: string, index = 0): HTMLInputElement {
  const found = fieldsLabelled(text)[index];
  if (!found) throw new Error(`no field labelled ${text}`);
  return found;
}
function button(name: string): HTMLButtonElement {
  const found = [...root.querySelectorAll('button')].find(
    (candidate) => candidate.textContent?.trim() === name,
  );
  if (!found) throw new Error(`no button named ${name}`);
  return found;
}
async function type(input: HTMLInputElement, value: string) {
  await act(async () => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await settle();
}
async function click(target: HTMLElement) {
  await act(async () => target.click());
  await settle();
  await settle();
}
const text = () => root.textContent ?? '';

describe('the options page', () => {
  it('lists the link workers by name', async () => {
    await show(fakeConnector({ settings }));
    const legends = [...root.querySelectorAll('legend.options-card__title')].map(
      (legend) => legend.textContent,
    );
    expect(legends).toEqual([
      'Link worker 1: Severnside PCN link worker',
      'Link worker 2: Community Connections',
    ]);
  });

  it('shows a problem next to a field as it is typed, and saves nothing while one remains', async () => {
    const connector = fakeConnector({ settings });
    await show(connector);
    await type(field('FHIR endpoint'), 'http://sp.example.org/fhir');
    const error = document.getElementById('field-linkWorkers-0-delivery-endpoint-error');
    expect(error?.textContent).toBe('Error: FHIR endpoint must be https');
    await click(button('Save settings'));
    expect(root.querySelector('.nhs-error-summary')?.textContent).toContain(
      'Link worker 1 (Severnside PCN link worker): FHIR endpoint must be https',
    );
    expect(connector.saved).toEqual([]);
  });

  it('saves what was typed, leaving blank optional fields out, and says Saved', async () => {
    const connector = fakeConnector({ settings });
    await show(connector);
    await type(field('ODS code'), 'l84002');
    await click(button('Add link worker'));
    await type(field('Name', 2), 'Age UK Gloucestershire');
    await click(fieldsLabelled('Email')[2] as HTMLInputElement);
    await type(field('Email referrals to', 1), 'referrals@ageuk.example.org');
    await type(field('Days to keep referral details'), '60');
    await click(button('Save settings'));
    expect(connector.saved[0]?.practice).toEqual({ name: 'Severnside Surgery', odsCode: 'L84002' });
    expect(connector.saved[0]?.linkWorkers[2]).toEqual({
      id: 'age-uk-gloucestershire',
      name: 'Age UK Gloucestershire',
      delivery: { method: 'email', to: 'referrals@ageuk.example.org' },
    });
    expect(connector.saved[0]?.retentionDays).toBe(60);
    expect(root.querySelector('.options-save__status')?.textContent).toBe('Saved');
  });

  it('asks for the ODS code while a link worker receives referrals by FHIR, and not otherwise', async () => {
    const connector = fakeConnector({ settings });
    await show(connector);
    await type(field('ODS code'), '');
    expect(document.getElementById('field-practice-odsCode-error')?.textContent).toBe(
      'Error: ODS code needed to send referrals by FHIR: the link worker’s system identifies your practice by it. Add the practice’s ODS code, like L84001',
    );
    await click(button('Save settings'));
    expect(connector.saved).toEqual([]);
    await click(button('Remove Severnside PCN link worker'));
    await click(button('Save settings'));
    expect(connector.saved[0]?.practice).toEqual({ name: 'Severnside Surgery' });
  });

  it('asks for the site’s permission in the same click that adds it', async () => {
    const connector = fakeConnector({ settings });
    await show(connector);
    await type(field('Record site address'), 'https://gp.example.nhs.uk/patients/1');
    const add = button('Add record site');
    act(() => add.click());
    // Asked before anything was awaited: still inside the click.
    expect(connector.asked).toEqual(['https://gp.example.nhs.uk']);
    await settle();
    await settle();
    expect(text()).toContain('Permission granted');
  });

  it('asks, in the Save click, to contact the FHIR endpoints and offer feeds', async () => {
    const connector = fakeConnector({
      settings: { ...settings, offerFeeds: [{ url: 'https://museum.example.org/offers.json' }] },
    });
    await show(connector);
    const save = button('Save settings');
    act(() => save.click());
    expect(connector.asked).toEqual(['https://sp.example.org', 'https://museum.example.org']);
    await settle();
    await settle();
    expect(root.querySelector('.options-save__status')?.textContent).toBe('Saved');
  });

  it('says which places Linkwell may not contact when the browser was refused', async () => {
    const connector = fakeConnector({ settings, grantOnRequest: false });
    await show(connector);
    await click(button('Save settings'));
    expect(connector.saved).toHaveLength(1);
    expect(root.querySelector('.options-save__status')?.textContent).toContain(
      'Linkwell was not allowed to contact https://sp.example.org',
    );
  });

  it('shows the organisation’s settings read-only, and follows a policy change without reloading', async () => {
    const connector = fakeConnector({ settings });
    await show(connector);
    expect(text()).not.toContain('Managed by your organisation');
    await act(async () => connector.setPolicy({ ...settings, practice: { name: 'Policy Surgery' } }));
    await settle();
    await settle();
    expect(text()).toContain('Managed by your organisation');
    expect(field('Practice name').value).toBe('Policy Surgery');
    expect(field('Practice name').readOnly).toBe(true);
    expect([...root.querySelectorAll('button')].map((candidate) => candidate.textContent)).not.toContain(
      'Add link worker',
    );
    expect(field('Import settings').disabled).toBe(true);
  });

  it('shows whether Linkwell may contact each link worker’s system and offer feed', async () => {
    const connector = fakeConnector({
      settings: {
        ...settings,
        offerFeeds: [{ url: 'https://museum.example.org/offers.json', label: 'Museum' }],
      },
      granted: ['https://museum.example.org'],
    });
    await show(connector);
    const cards = [...root.querySelectorAll('fieldset.options-card')];
    expect(cards[0]?.textContent).toContain('Not allowed to contact https://sp.example.org');
    expect(cards[2]?.textContent).toContain('Allowed to contact https://museum.example.org');
    const access = root.querySelector('.options-access');
    expect(access?.querySelector('h2')?.textContent).toBe(
      'Linkwell is not allowed to contact some systems yet',
    );
    expect([...(access?.querySelectorAll('li') ?? [])].map((item) => item.textContent)).toEqual([
      'https://sp.example.org (Severnside PCN link worker)',
    ]);
  });

  it('asks for access in the click of “Allow Linkwell to contact these systems”, managed or not', async () => {
    const connector = fakeConnector({ policy: settings });
    await show(connector);
    expect(text()).toContain('Managed by your organisation');
    const allow = button('Allow Linkwell to contact these systems');
    act(() => allow.click());
    // Asked before anything was awaited: still inside the click.
    expect(connector.asked).toEqual(['https://sp.example.org']);
    await settle();
    await settle();
    expect(root.querySelector('.options-access')).toBeNull();
    expect(root.querySelector('fieldset.options-card')?.textContent).toContain(
      'Allowed to contact https://sp.example.org',
    );
  });

  it('says so when the browser does not allow it', async () => {
    const connector = fakeConnector({ policy: settings, grantOnRequest: false });
    await show(connector);
    await click(button('Allow Linkwell to contact these systems'));
    expect(root.querySelector('.options-access [role="status"]')?.textContent).toBe(
      'The browser did not allow it. Press the button again and choose Allow.',
    );
  });

  it('asks for access to the endpoint in the click of Send test message, before sending', async () => {
    const connector = fakeConnector({ settings });
    await show(connector);
    const send = button('Send test message to Severnside PCN link worker');
    act(() => send.click());
    expect(connector.asked).toEqual(['https://sp.example.org']);
    expect(connector.testMessages).toEqual([]);
    await settle();
    await settle();
    expect(connector.testMessages).toEqual([
      { endpoint: 'https://sp.example.org/fhir/$process-message', token: 'secret' },
    ]);
    expect(text()).toContain('Test accepted');
  });

  it('asks for access to the feed in the click of Check feed', async () => {
    const connector = fakeConnector({
      settings: {
        ...settings,
        offerFeeds: [{ url: 'https://museum.example.org/offers.json', label: 'Museum' }],
      },
      feed: { offers: 2, skipped: 0, inactive: 0, pages: 1, problems: [] },
    });
    await show(connector);
    const check = button('Check feed Museum');
    act(() => check.click());
    expect(connector.asked).toEqual(['https://museum.example.org']);
    await settle();
    await settle();
    expect(text()).toContain('2 offers');
  });

  it('never shows or exports an access token set by policy, but tests with it', async () => {
    const connector = fakeConnector({ policy: settings });
    await show(connector);
    expect(fieldsLabelled('Access token (optional)')).toEqual([]);
    expect([...root.querySelectorAll('input')].map((input) => input.value)).not.toContain('secret');
    expect(text()).toContain('Set by your organisation. It is not shown here and is never exported.');
    expect(fieldsLabelled('Include access tokens (keep such a file as safe as a password)')).toEqual([]);
    await click(button('Export settings'));
    expect(connector.downloads[0]?.text).not.toContain('secret');
    expect(JSON.parse(connector.downloads[0]?.text ?? '{}').linkWorkers[0].delivery).toEqual({
      method: 'fhir',
      endpoint: 'https://sp.example.org/fhir/$process-message',
    });
    await click(button('Send test message to Severnside PCN link worker'));
    expect(connector.testMessages).toEqual([
      { endpoint: 'https://sp.example.org/fhir/$process-message', token: 'secret' },
    ]);
  });

  it('lists, after an import, the FHIR link workers the file gave no access token', async () => {
    const connector = fakeConnector({ settings });
    await show(connector);
    const withoutTokens = JSON.stringify(exportSettings(settings, { includeTokens: false }));
    const input = field('Import settings');
    Object.defineProperty(input, 'files', {
      value: [new File([withoutTokens], 'practice.json', { type: 'application/json' })],
      configurable: true,
    });
    await act(async () => {
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
    await settle();
    expect(connector.saved[0]?.linkWorkers[0]?.delivery).toEqual({
      method: 'fhir',
      endpoint: 'https://sp.example.org/fhir/$process-message',
    });
    const warning = [...root.querySelectorAll('.options-warning')].find((element) =>
      element.textContent?.includes('No access token in this file for:'),
    );
    expect([...(warning?.querySelectorAll('li') ?? [])].map((item) => item.textContent)).toEqual([
      'Severnside PCN link worker',
    ]);
  });

  it('counts the activity records and offers them as CSV', async () => {
    const connector = fakeConnector({
      settings,
      activity: [
        { month: '2025-03', outcome: 'sent', reasons: ['loneliness'], linkWorkerId: 'pcn-lw' },
        { month: '2025-03', outcome: 'declined', reasons: ['money'] },
      ],
    });
    await show(connector);
    const captions = [...root.querySelectorAll('caption')].map((caption) => caption.firstChild?.textContent);
    expect(captions).toEqual(['By month', 'By reason', 'By link worker']);
    expect(text()).toContain('March 2025');
    await click(button('Download report (CSV)'));
    expect(connector.downloads[0]?.text).toContain('Reason,Loneliness or isolation,1,0,0,0,0,1');
  });

  it('exports without tokens unless asked', async () => {
    const connector = fakeConnector({ settings });
    await show(connector);
    await click(button('Export settings'));
    expect(connector.downloads[0]?.text).not.toContain('secret');
    await click(field('Include access tokens (keep such a file as safe as a password)'));
    await click(button('Export settings'));
    expect(connector.downloads[1]?.text).toContain('"token": "secret"');
  });
});
