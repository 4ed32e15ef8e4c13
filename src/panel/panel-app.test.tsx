// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { practiceSettings } from '../../tests/fixtures/settings';
import type { Settings } from '../core/settings';
import type { TabPatient } from './connector';
import { createFakeConnector, type FakeConnector } from './fake-connector';
import { PanelApp } from './panel-app';

const settings = practiceSettings();

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
    // The panel asked once: the fake does not drop repeats for it.
    expect(connector.sendCalls).toBe(1);
    expect(connector.sent).toHaveLength(1);
    expect(connector.sent[0]?.referral).toMatchObject({
      patient: { nhsNumber: '9434765919', birthDate: '1961-03-12' },
      reasons: ['loneliness'],
      consent: { given: true },
      referrer: { name: 'Dr Amir Khan' },
    });
    expect(root.querySelector('.outcome .nhs-tag')?.textContent).toBe('Sent');
    // The outcome names whose referral it is, whatever the header shows next.
    expect(root.querySelector('.outcome-patient')?.textContent).toBe(
      'For SMITH, Jane (Mrs), born 12 Mar 1961, NHS number 943 476 5919',
    );
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
    expect(root.textContent).toContain('The referral is copied: paste it into the email');
    expect(button('Print referral')).toBeTruthy();
    // The code is recorded once the GP has sent the email, not when it was merely written.
    expect(root.querySelector('.snomed-code')).toBeNull();
    await click(button('I have sent the email'));
    expect(root.querySelector('.snomed-code')?.textContent).toBe('871731000000106');
  });

  it('records one decline however often it is pressed, under the draft’s id, and shows its code', async () => {
    const connector = createFakeConnector({ settings, tab: jane });
    await show(connector);
    await click(control('Low mood or anxiety'));
    const declined = button('Patient declined');
    await act(async () => {
      declined.click();
      declined.click();
    });
    await settle();
    expect(connector.declines).toEqual([
      { id: '00000000-0000-4000-8000-000000000001', reasons: ['low-mood'], linkWorkerId: 'pcn-lw' },
    ]);
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

const patientTop = () => root.querySelector('.patient-summary')?.textContent ?? '';

async function typePatient(nhsNumber: string, name: string, birthDate: string) {
  await type(control('NHS number'), nhsNumber);
  await type(control('Patient’s name'), name);
  await type(control('Date of birth'), birthDate);
  await click(button('Use these details'));
}

describe('the patient a referral carries', () => {
  it('is the one shown at the top when the same NHS number is typed again with another date of birth', async () => {
    const connector = createFakeConnector({ settings });
    await show(connector);
    await typePatient('943 476 5919', 'Jane Smith', '12/03/1916');
    await click(control('Loneliness or isolation'));
    await click(button('Change patient'));
    await typePatient('943 476 5919', 'Jane Smith', '12/03/1961');
    expect(patientTop()).toContain('12 Mar 1961');
    expect(root.querySelector('.notice')?.textContent).toMatch(/details changed.*check them/);
    // The draft written so far is kept (same NHS number), now with the details shown.
    expect(control('Loneliness or isolation').checked).toBe(true);
    await type(control('Your name'), 'Dr Amir Khan');
    await click(
      control('The patient gives consent to this referral and to sharing these details with the link worker'),
    );
    await click(button('Send referral'));
    expect(connector.sent[0]?.referral.patient.birthDate).toBe('1961-03-12');
  });

  it('takes the name and date of birth the page shows after first showing the number alone', async () => {
    const connector = createFakeConnector({
      settings,
      tab: { state: 'patient', patient: { nhsNumber: '9434765919' } },
    });
    await show(connector);
    expect(control('Patient’s name')).toBeTruthy();
    await act(async () => connector.showTab(jane));
    await settle();
    expect(patientTop()).toContain('SMITH, Jane (Mrs)');
    expect(root.querySelector('.notice')?.textContent).toMatch(/details changed/);
    // The form no longer asks for what the page now shows.
    expect(() => control('Patient’s name')).toThrow();
    await readyToSend();
    await click(button('Send referral'));
    expect(connector.sent[0]?.referral.patient).toMatchObject({
      name: { text: 'SMITH, Jane (Mrs)' },
      birthDate: '1961-03-12',
    });
  });

  it('forgets a typed-in patient once the tab shows a patient, no patient, or two', async () => {
    const connector = createFakeConnector({ settings });
    await show(connector);
    await typePatient('999 526 0182', 'Grace Okafor', '02/11/1948');
    expect(patientTop()).toContain('OKAFOR, Grace');
    await act(async () => connector.showTab(jane));
    await settle();
    expect(patientTop()).toContain('SMITH, Jane (Mrs)');
    await act(async () => connector.showTab({ state: 'problem', problem: 'several-nhs-numbers' }));
    await settle();
    expect(patientTop()).not.toContain('OKAFOR');
    expect(patientTop()).toContain('No patient selected');
    expect(root.textContent).toContain('more than one NHS number');
  });

  it('keeps a typed-in patient while there is no record page at all', async () => {
    const connector = createFakeConnector({ settings });
    await show(connector);
    await typePatient('999 526 0182', 'Grace Okafor', '02/11/1948');
    await act(async () => connector.showTab({ state: 'no-page' }));
    await settle();
    expect(patientTop()).toContain('OKAFOR, Grace');
  });
});

describe('when the background’s answer to Send is lost', () => {
  it('asks the outbox, and shows the referral it holds as queued rather than not sent', async () => {
    const connector = createFakeConnector({ settings, tab: jane, answers: ['lost-stored'] });
    await show(connector);
    await readyToSend();
    await click(button('Send referral'));
    expect(root.textContent).not.toContain('Referral not sent');
    expect(root.querySelector('.outcome .nhs-tag')?.textContent).toBe('Queued');
    expect(() => button('Copy referral text')).toThrow();
  });

  it('says the referral was not sent only when the outbox does not hold it', async () => {
    const connector = createFakeConnector({ settings, tab: jane, answers: ['lost'] });
    await show(connector);
    await readyToSend();
    await click(button('Send referral'));
    expect(root.querySelector('.outcome h2')?.textContent).toBe('Referral not sent');
    expect(root.querySelector('.outcome [role="alert"]')?.textContent).toMatch(/not in Linkwell’s outbox/);
    await click(button('Try sending again'));
    expect(root.querySelector('.outcome .nhs-tag')?.textContent).toBe('Sent');
    expect(connector.sent).toHaveLength(1);
  });

  it('says honestly that it could not confirm, when the outbox cannot be asked either', async () => {
    const connector = createFakeConnector({
      settings,
      tab: jane,
      answers: ['lost-stored'],
      statusUnavailable: true,
    });
    await show(connector);
    await readyToSend();
    await click(button('Send referral'));
    const outcomeText = root.querySelector('.outcome')?.textContent ?? '';
    expect(root.querySelector('.outcome h2')?.textContent).toBe('Referral not confirmed');
    expect(outcomeText).toMatch(/could not confirm whether the referral was saved/);
    expect(outcomeText).toMatch(/check Recent referrals before sending it another way/);
    expect(outcomeText).not.toMatch(/not sent/i);
  });
});

describe('the code to record', () => {
  const copyCodeButton = () => root.querySelector('button[aria-label="Copy code 871731000000106"]');

  it('waits for Sent: while queued the GP is told it will be safe to record once sent', async () => {
    const connector = createFakeConnector({ settings, tab: jane, answers: ['queued'] });
    await show(connector);
    await readyToSend();
    await click(button('Send referral'));
    expect(root.querySelector('.outcome .nhs-tag')?.textContent).toBe('Queued');
    expect(copyCodeButton()).toBeNull();
    expect(root.querySelector('.code-later')?.textContent).toMatch(
      /safe to record.*once the status shows Sent/,
    );
    await act(async () => connector.settle(connector.sent[0]?.referral.id ?? '', 'sent'));
    await settle();
    expect(copyCodeButton()).not.toBeNull();
  });

  it('is never shown for a referral that needs attention or failed', async () => {
    const connector = createFakeConnector({ settings, tab: jane, answers: ['needs-attention'] });
    await show(connector);
    await readyToSend();
    await click(button('Send referral'));
    expect(root.querySelector('.outcome .nhs-tag')?.textContent).toBe('Needs your attention');
    expect(copyCodeButton()).toBeNull();
    expect(root.querySelector('.code-later')).toBeNull();
    await act(async () => connector.settle(connector.sent[0]?.referral.id ?? '', 'failed', 'Refused'));
    await settle();
    expect(copyCodeButton()).toBeNull();
  });
});

describe('cancelling', () => {
  it('says so when a referral could not be cancelled because it is being sent', async () => {
    const connector = createFakeConnector({ settings, tab: jane, answers: ['queued'] });
    await show(connector);
    await readyToSend();
    await click(button('Send referral'));
    const id = connector.sent[0]?.referral.id ?? '';
    // The attempt started a moment ago; the panel has not heard yet.
    connector.settle(id, 'sending', undefined, true);
    await click(button('Cancel referral'));
    expect(root.querySelector('.outcome .cancel-note')?.textContent).toMatch(
      /Not cancelled: the referral is being sent/,
    );
    expect(root.querySelector('.outcome .nhs-tag')?.textContent).toBe('Sending');
  });

  it('says so from the list too, where the Cancel was pressed', async () => {
    const connector = createFakeConnector({ settings, tab: jane, answers: ['queued'] });
    await show(connector);
    await readyToSend();
    await click(button('Send referral'));
    const id = connector.sent[0]?.referral.id ?? '';
    connector.settle(id, 'sent', undefined, true);
    const listCancel = root.querySelector<HTMLButtonElement>('.recent-item .nhs-button--warning');
    if (!listCancel) throw new Error('no Cancel in the list');
    await click(listCancel);
    expect(root.querySelector('.recent-item .cancel-note')?.textContent).toMatch(/already sent/);
    expect(root.querySelector('.recent-item .nhs-tag')?.textContent).toBe('Sent');
  });
});

describe('a referral that needs the GP’s attention', () => {
  it('can be edited and sent again to a link worker chosen afresh, replacing the old one', async () => {
    const two: Settings = {
      ...settings,
      linkWorkers: [
        ...settings.linkWorkers,
        {
          id: 'vcs',
          name: 'Community Connections',
          delivery: { method: 'fhir', endpoint: 'https://cc.example.org/fhir' },
        },
      ],
    };
    const connector = createFakeConnector({ settings: two, tab: jane, answers: ['needs-attention'] });
    await show(connector);
    await click(control('Community Connections'));
    await readyToSend();
    await click(button('Send referral'));
    const oldId = connector.sent[0]?.referral.id;
    await click(button('Edit and send again'));
    expect(root.querySelector('#referral-heading')?.textContent).toBe('Edit and send the referral again');
    expect(control('Loneliness or isolation').checked).toBe(true);
    // Who receives it is chosen again: the practice changed that link worker after Send.
    expect(control('Community Connections').checked).toBe(false);
    await click(control('Severnside PCN link worker'));
    await click(
      control('The patient gives consent to this referral and to sharing these details with the link worker'),
    );
    await click(button('Send referral'));
    expect(connector.sent).toHaveLength(2);
    expect(connector.sent[1]?.replaces).toBe(oldId);
    expect(connector.sent[1]?.referral.linkWorker.id).toBe('pcn-lw');
    const old = (await connector.recent(10)).ok
      ? ((await connector.recent(10)) as { ok: true; value: { id: string; status: string }[] }).value.find(
          (item) => item.id === oldId,
        )
      : undefined;
    expect(old?.status).toBe('cancelled');
  });
});
