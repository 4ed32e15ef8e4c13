// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Settings } from '../core/settings';
import type { TabPatient } from './connector';
import { createFakeConnector, type FakeConnector } from './fake-connector';
import { PanelApp } from './panel-app';

const settings: Settings = {
  version: 1,
  practice: { name: 'Severnside Surgery', odsCode: 'L84001' },
  linkWorkers: [
    {
      id: 'pcn-lw',
      name: 'Severnside PCN link worker',
      delivery: { method: 'fhir', endpoint: 'https://sp.example.org/fhir/$process-message' },
    },
  ],
  recordSites: [],
  offerFeeds: [],
  retentionDays: 30,
};

const jane: TabPatient = {
  state: 'patient',
  patient: {
    nhsNumber: '9434765919',
    name: { family: 'SMITH', given: ['Jane'], prefix: 'Mrs', text: 'SMITH, Jane (Mrs)' },
    birthDate: '1961-03-12',
  },
};
const grace: TabPatient = {
  state: 'patient',
  patient: {
    nhsNumber: '9995260182',
    name: { family: 'OKAFOR', given: ['Grace'], text: 'OKAFOR, Grace' },
    birthDate: '1948-11-02',
  },
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
  await act(async () => render(<PanelApp connector={connector} />, root));
  await settle();
  await settle();
}

/** The form control whose <label> has exactly this text. */
function control<T extends HTMLElement = HTMLInputElement>(labelText: string): T {
  const label = [...root.querySelectorAll('label')].find((each) => each.textContent?.trim() === labelText);
  const target = label && root.querySelector<T>(`#${label.htmlFor}`);
  if (!target) throw new Error(`no control labelled ${labelText}`);
  return target;
}

function button(name: string): HTMLButtonElement {
  const found = [...root.querySelectorAll('button')].find((each) => each.textContent?.trim() === name);
  if (!found) throw new Error(`no button ${name}`);
  return found;
}

async function click(element: HTMLElement) {
  await act(async () => element.click());
  await settle();
}

async function type(element: HTMLInputElement | HTMLTextAreaElement, value: string) {
  await act(async () => {
    element.value = value;
    element.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function readyToSend() {
  await click(control('Loneliness or isolation'));
  await type(control('Your name'), 'Dr Amir Khan');
  await click(
    control('The patient gives consent to this referral and to sharing these details with the link worker'),
  );
}

describe('the referral panel', () => {
  it('shows the patient at the top, the NHS number spaced, and preselects the only link worker', async () => {
    await show(createFakeConnector({ settings, tab: jane }));
    const top = root.querySelector('.patient-summary')?.textContent ?? '';
    expect(top).toContain('SMITH, Jane (Mrs)');
    expect(top).toContain('12 Mar 1961');
    expect(top).toContain('943 476 5919');
    expect(control('Severnside PCN link worker').checked).toBe(true);
  });

  it('lists what is missing in an error summary that links to each field', async () => {
    const connector = createFakeConnector({ settings, tab: jane });
    await show(connector);
    await click(button('Send referral'));
    const links = [...root.querySelectorAll('.nhs-error-summary a')].map((link) => link.getAttribute('href'));
    expect(links).toEqual(expect.arrayContaining(['#referrer-name', '#reason-loneliness', '#consent']));
    expect(connector.sent).toHaveLength(0);
  });

  it('sends one referral however often Send is pressed, and shows Sent and the code to record', async () => {
    const connector = createFakeConnector({ settings, tab: jane });
    await show(connector);
    await readyToSend();
    const send = button('Send referral');
    await act(async () => {
      send.click();
      send.click();
    });
    await settle();
    expect(connector.sent).toHaveLength(1);
    expect(connector.sent[0]?.referral).toMatchObject({
      patient: { nhsNumber: '9434765919', birthDate: '1961-03-12' },
      reasons: ['loneliness'],
      consent: { given: true },
      referrer: { name: 'Dr Amir Khan' },
    });
    expect(root.querySelector('.outcome .nhs-tag')?.textContent).toBe('Sent');
    expect(root.querySelector('.snomed-code')?.textContent).toBe('871731000000106');
    const copy = root.querySelector<HTMLButtonElement>('button[aria-label="Copy code 871731000000106"]');
    if (!copy) throw new Error('no copy button');
    await click(copy);
    expect(connector.copied).toEqual(['871731000000106']);
  });

  it('keeps each patient’s draft with them when the tab moves to another patient', async () => {
    const connector = createFakeConnector({ settings, tab: jane });
    await show(connector);
    await click(control('Housing'));
    await act(async () => connector.showTab(grace));
    await settle();
    expect(root.querySelector('.patient-summary')?.textContent).toContain('OKAFOR, Grace');
    expect(control('Housing').checked).toBe(false);
    expect(root.querySelector('.notice')?.textContent).toMatch(
      /patient changed to OKAFOR, Grace.*not carried across/,
    );
    await act(async () => connector.showTab(jane));
    await settle();
    expect(control('Housing').checked).toBe(true);
  });

  it('shows Failed with the receiver’s reason, and sends an edited copy that replaces it', async () => {
    const connector = createFakeConnector({ settings, tab: jane, answers: [{ failed: 'Unknown practice' }] });
    await show(connector);
    await readyToSend();
    await click(button('Send referral'));
    expect(root.querySelector('.outcome .nhs-tag')?.textContent).toBe('Failed');
    expect(root.querySelector('.outcome')?.textContent).toContain('Unknown practice');
    await click(button('Edit and send again'));
    expect(control('Loneliness or isolation').checked).toBe(true);
    await click(
      control('The patient gives consent to this referral and to sharing these details with the link worker'),
    );
    await click(button('Send referral'));
    expect(connector.sent).toHaveLength(2);
    expect(connector.sent[1]?.replaces).toBe(connector.sent[0]?.referral.id);
    expect(connector.sent[1]?.referral.id).not.toBe(connector.sent[0]?.referral.id);
  });

  it('puts an email referral on the clipboard and opens an email with no patient details in it', async () => {
    const emailSettings: Settings = {
      ...settings,
      linkWorkers: [
        {
          id: 'vcs',
          name: 'Community Connections',
          delivery: { method: 'email', to: 'connections@nhs.net' },
        },
      ],
    };
    const connector = createFakeConnector({ settings: emailSettings, tab: jane });
    await show(connector);
    await readyToSend();
    await click(button('Send referral'));
    expect(connector.copied[0]).toContain('NHS number: 943 476 5919');
    expect(connector.emails).toHaveLength(1);
    const { to, subject } = connector.emails[0] ?? { to: '', subject: '' };
    expect(to).toBe('connections@nhs.net');
    expect(subject).not.toMatch(/SMITH|Jane|9434765919|943 476 5919/);
    expect(root.textContent).toContain('The referral text is on the clipboard');
    expect(button('Print referral')).toBeTruthy();
  });

  it('records a decline and shows its code', async () => {
    const connector = createFakeConnector({ settings, tab: jane });
    await show(connector);
    await click(control('Low mood or anxiety'));
    await click(button('Patient declined'));
    expect(connector.declines).toEqual([{ reasons: ['low-mood'], linkWorkerId: 'pcn-lw' }]);
    expect(connector.sent).toHaveLength(0);
    expect(root.querySelector('.snomed-code')?.textContent).toBe('871711000000103');
  });

  it('says why there is no patient on a page with two, and takes a pasted banner line', async () => {
    const connector = createFakeConnector({
      settings,
      tab: { state: 'problem', problem: 'several-nhs-numbers' },
    });
    await show(connector);
    expect(root.textContent).toContain('more than one NHS number');
    await type(
      control<HTMLTextAreaElement>('Paste the patient banner line (optional)'),
      'SMITH, Jane (Mrs)  Born 12-Mar-1961  NHS No. 943 476 5919',
    );
    await click(button('Read pasted line'));
    expect(control('NHS number').value).toBe('943 476 5919');
    await click(button('Use these details'));
    expect(root.querySelector('.patient-summary')?.textContent).toContain('SMITH, Jane (Mrs)');
    expect(control('Severnside PCN link worker').checked).toBe(true);
  });

  it('refuses a typed NHS number that fails Modulus 11', async () => {
    await show(createFakeConnector({ settings }));
    await type(control('NHS number'), '943 476 5910');
    await type(control('Patient’s name'), 'Jane Smith');
    await type(control('Date of birth'), '12/03/1961');
    await click(button('Use these details'));
    expect(root.querySelector('.nhs-error-summary')?.textContent).toContain('not a valid NHS number');
  });
});
