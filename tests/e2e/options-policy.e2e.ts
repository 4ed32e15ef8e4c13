import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/core/settings';
import { type ExtensionSession, launchWithExtension } from './support/browser';
import { extensionGrantedLoopback, seedSettings } from './support/extension';
import { type FhirReceiver, startFhirReceiver } from './support/fhir-receiver';
import {
  axeViolations,
  EXTENSION_ID,
  openOptions,
  registeredOrigins,
  reloadPolicies,
  removeTestPolicy,
  sendTypedReferral,
  storedSettings,
  writeTestPolicy,
} from './support/options';
import { outcome } from './support/panel';
import { startServer, type TestServer } from './support/static-server';

// Settings from enterprise policy, through a real Chromium policy file: Chromium on Linux reads
// /etc/chromium/policies/managed/*.json, and the `3rdparty` section reaches the extension (by the id its
// manifest key fixes) as storage.managed. The file is written before the browser starts and always removed
// afterwards: every other test file loads the same extension id.
//
// The test build is granted http://127.0.0.1/* up front (permission prompts never settle in headless
// Chromium); http://localhost:<port> reaches the same servers but is not granted, for the other case.

function practiceSettings(options: {
  name: string;
  linkWorkerName: string;
  endpoint: string;
  token: string;
  recordSites: Settings['recordSites'];
}): Settings {
  return {
    version: 1,
    practice: { name: options.name, odsCode: 'L84001' },
    linkWorkers: [
      {
        id: 'pcn-lw',
        name: options.linkWorkerName,
        delivery: { method: 'fhir', endpoint: options.endpoint, token: options.token },
      },
    ],
    recordSites: options.recordSites,
    offerFeeds: [],
    retentionDays: 14,
  };
}

describe('settings managed by the organisation', () => {
  let session: ExtensionSession;
  let policySite: TestServer;
  let localSite: TestServer;
  let firstReceiver: FhirReceiver;
  let secondReceiver: FhirReceiver;
  let page: Page;
  let policy: Settings;
  let local: Settings;
  /** The record site in policy that the test build is not granted. */
  let notGranted: string;

  beforeAll(async () => {
    removeTestPolicy();
    policySite = await startServer();
    localSite = await startServer();
    firstReceiver = await startFhirReceiver();
    secondReceiver = await startFhirReceiver();
    notGranted = policySite.origin.replace('127.0.0.1', 'localhost');
    policy = practiceSettings({
      name: 'Policy Surgery',
      linkWorkerName: 'PCN link worker (policy)',
      endpoint: firstReceiver.endpoint,
      token: 'policy-token',
      recordSites: [
        {
          origin: policySite.origin,
          label: 'Clinical system',
          selectors: { nhsNumber: '#banner .nhs', name: '#banner .name', birthDate: '#banner .dob' },
        },
        { origin: notGranted },
      ],
    });
    // Every kind of value the schema describes, so Chrome checks all of it: an email link worker (the
    // other branch of delivery), selectors, an offer feed.
    policy.linkWorkers.push({
      id: 'vcs',
      name: 'Community Connections',
      organisation: 'For All Healthy Living Centre',
      email: 'connections@nhs.net',
      phone: '01453 000000',
      delivery: { method: 'email', to: 'connections@nhs.net' },
    });
    policy.offerFeeds = [{ url: `${policySite.origin}/offers.json`, label: 'Museum' }];
    local = practiceSettings({
      name: 'Local Surgery',
      linkWorkerName: 'Local link worker',
      endpoint: firstReceiver.endpoint,
      token: 'local-token',
      recordSites: [{ origin: localSite.origin }],
    });
    await writeTestPolicy(policy);
    session = await launchWithExtension(await extensionGrantedLoopback('chrome-options-policy'));
    await seedSettings(session, local);
    page = await openOptions(session);
  });
  afterAll(async () => {
    removeTestPolicy();
    await session?.close();
    await policySite?.close();
    await localSite?.close();
    await firstReceiver?.close();
    await secondReceiver?.close();
  });

  it('shows the organisation’s settings, read-only, with the words Managed by your organisation', async () => {
    await page.getByRole('heading', { name: 'Managed by your organisation' }).waitFor();
    expect(await page.getByLabel('Practice name').inputValue()).toBe('Policy Surgery');
    expect(await page.getByLabel('Practice name').isEditable()).toBe(false);
    expect(await page.getByRole('group', { name: 'Link worker 1: PCN link worker (policy)' }).count()).toBe(
      1,
    );
    expect(await page.getByLabel('Days to keep referral details').inputValue()).toBe('14');
    expect(await page.getByRole('button', { name: 'Save settings' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add link worker' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add record site' }).count()).toBe(0);
    expect(await page.getByLabel('Import settings').isDisabled()).toBe(true);
    await page.screenshot({ path: '/tmp/linkwell-options-managed.png', fullPage: true });
  });

  it('never shows or exports the organisation’s access token, yet tests the endpoint with it', async () => {
    const card = page.getByRole('group', { name: 'Link worker 1: PCN link worker (policy)' });
    expect(
      await card.getByText('Set by your organisation. It is not shown here and is never exported.').count(),
    ).toBe(1);
    const values = await page
      .locator('input')
      .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    expect(values).not.toContain('policy-token');
    expect(await page.getByLabel(/Include access tokens/).count()).toBe(0);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export settings' }).click(),
    ]);
    const exported = await readFile(await download.path(), 'utf8');
    expect(exported).not.toContain('policy-token');
    expect(JSON.parse(exported).practice.name).toBe('Policy Surgery');

    // The checks that change nothing still work: IT can test the organisation's endpoint from here.
    await card.getByRole('button', { name: /^Send test message/ }).click();
    await expect.poll(() => card.getByRole('status').textContent()).toContain('Test accepted');
    const [test] = await firstReceiver.waitForRequests(1);
    expect(test?.headers.authorization).toBe('Bearer policy-token');
  });

  it('takes precedence over the settings saved in this browser', async () => {
    expect((await storedSettings(session)) as Settings).toMatchObject({
      practice: { name: 'Local Surgery' },
    });
    // The background runs the record-page script on the policy's granted record site only.
    await expect.poll(() => registeredOrigins(session)).toEqual([policySite.origin]);
  });

  it('shows which record sites and systems this browser allows, both ways', async () => {
    const granted = page.getByRole('group', { name: `Record site 1: ${policySite.origin}` });
    expect(await granted.getByText('Permission granted').count()).toBe(1);
    const refused = page.getByRole('group', { name: `Record site 2: ${notGranted}` });
    await expect.poll(() => refused.getByText('Permission not granted').count()).toBe(1);
    expect(await refused.getByRole('button', { name: `Ask for permission for ${notGranted}` }).count()).toBe(
      1,
    );
    const card = page.getByRole('group', { name: 'Link worker 1: PCN link worker (policy)' });
    expect(await card.getByText(`Allowed to contact ${firstReceiver.origin}`).count()).toBe(1);
    // Nothing is missing, so there is nothing to allow.
    expect(await page.getByRole('button', { name: 'Allow Linkwell to contact these systems' }).count()).toBe(
      0,
    );
  });

  it('is read by the extension exactly as written, and chrome://policy finds no error in it', async () => {
    // Chrome checks policy against the manifest's managed_schema (settings.schema.json) and leaves out
    // any value that does not fit: everything arriving unchanged shows the published schema accepts it.
    const managed = await session.serviceWorker.evaluate(() => chrome.storage.managed.get(null));
    expect(managed).toEqual(policy);
    const policyPage = await session.context.newPage();
    await policyPage.goto('chrome://policy');
    const table = policyPage.getByRole('table', { name: /^Linkwell/ });
    await table.getByText(EXTENSION_ID).waitFor();
    const rows = table.getByRole('row').filter({ has: policyPage.getByRole('rowheader') });
    const statuses = await rows.evaluateAll((elements) =>
      elements.map((row) => row.textContent?.replace(/\s+/g, ' ').trim() ?? ''),
    );
    expect(statuses).toHaveLength(Object.keys(policy).length);
    for (const name of Object.keys(policy)) {
      const row = rows.filter({ has: policyPage.getByRole('rowheader', { name, exact: true }) });
      expect(await row.getByRole('cell', { name: 'OK', exact: true }).count(), name).toBe(1);
    }
    await policyPage.close();
  });

  it('follows a change of policy without a restart: the page, and where referrals go', async () => {
    const notGrantedEndpoint = secondReceiver.endpoint.replace('127.0.0.1', 'localhost');
    const origin = new URL(notGrantedEndpoint).origin;
    const changed = practiceSettings({
      name: 'Policy Surgery West',
      linkWorkerName: 'PCN link worker (policy)',
      endpoint: notGrantedEndpoint,
      token: 'new-policy-token',
      recordSites: [{ origin: policySite.origin, label: 'Clinical system' }],
    });
    await writeTestPolicy(changed);
    await reloadPolicies(session);
    await expect
      .poll(() => page.getByLabel('Practice name').inputValue(), { timeout: 15_000 })
      .toBe('Policy Surgery West');

    // The new endpoint is not granted: the page says so and offers the button, managed as it is.
    const access = page.getByRole('region', { name: 'Linkwell is not allowed to contact some systems yet' });
    await expect
      .poll(() => access.getByRole('listitem').allTextContents())
      .toEqual([`${origin} (PCN link worker (policy))`]);
    const card = page.getByRole('group', { name: 'Link worker 1: PCN link worker (policy)' });
    expect(await card.getByText(`Not allowed to contact ${origin}`).count()).toBe(1);
    await access.getByRole('button', { name: 'Allow Linkwell to contact these systems' }).click();
    // The browser's question is on screen now (it never settles in headless Chromium).
    await expect
      .poll(() => access.getByRole('status').textContent())
      .toBe('Choose Allow in the browser’s question about Linkwell.');

    // The background follows too: a referral goes to the new endpoint, and the panel says why it waits.
    const before = firstReceiver.received.length;
    const panel = await sendTypedReferral(session);
    await expect
      .poll(() => outcome(panel).textContent(), { timeout: 20_000 })
      .toContain(`Linkwell has not been allowed to contact ${origin}`);
    expect(await outcome(panel).getByText('Queued', { exact: false }).count()).toBeGreaterThan(0);
    expect(secondReceiver.received).toHaveLength(0);
    await panel.close();

    // Point it at the granted address of the same receiver: the next referral arrives there.
    await writeTestPolicy({
      ...changed,
      linkWorkers: [
        {
          id: 'pcn-lw-granted',
          name: 'PCN link worker (policy)',
          delivery: { method: 'fhir', endpoint: secondReceiver.endpoint, token: 'new-policy-token' },
        },
      ],
    });
    await reloadPolicies(session);
    await expect.poll(() => access.count(), { timeout: 15_000 }).toBe(0);
    const again = await sendTypedReferral(session);
    const [referral] = await secondReceiver.waitForRequests(1);
    expect(referral?.headers.authorization).toBe('Bearer new-policy-token');
    expect(JSON.stringify(referral?.json)).toContain('9995260182');
    expect(firstReceiver.received).toHaveLength(before);
    await expect
      .poll(() => outcome(again).getByText('Sent', { exact: true }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    await again.close();
  });

  it('has no accessibility violations that axe-core can find on the managed page', async () => {
    expect(await axeViolations(page)).toEqual([]);
  });

  it('falls back to this browser’s settings, and says why, when the organisation’s settings do not fit', async () => {
    // Fits Chrome's schema (an endpoint is any text there), but not Linkwell's rules: http to another computer.
    await writeTestPolicy({
      ...policy,
      linkWorkers: [
        {
          id: 'pcn-lw',
          name: 'PCN link worker (policy)',
          delivery: { method: 'fhir', endpoint: 'http://sp.example.org/fhir/$process-message' },
        },
      ],
    });
    await reloadPolicies(session);
    const warning = page
      .getByRole('alert')
      .filter({ hasText: 'Your organisation’s settings could not be used' });
    await expect.poll(() => warning.count(), { timeout: 15_000 }).toBe(1);
    expect(await warning.getByRole('listitem').allTextContents()).toEqual([
      'linkWorkers[0].delivery.endpoint: must be https',
    ]);
    expect(await page.getByRole('heading', { name: 'Managed by your organisation' }).count()).toBe(0);
    expect(await page.getByLabel('Practice name').inputValue()).toBe('Local Surgery');
    expect(await page.getByLabel('Practice name').isEditable()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save settings' }).count()).toBe(1);
    // The background follows: the local record site now, not the policy's.
    await expect.poll(() => registeredOrigins(session)).toEqual([localSite.origin]);
    expect(await axeViolations(page)).toEqual([]);
  });
});
