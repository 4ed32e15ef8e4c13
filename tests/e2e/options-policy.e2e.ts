import { rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/core/settings';
import { type ExtensionSession, launchWithExtension } from './support/browser';
import { extensionGrantedLoopback, seedSettings } from './support/extension';
import { axeViolations, openOptions, registeredOrigins, storedSettings } from './support/options';
import { startServer, type TestServer } from './support/static-server';

// Settings from enterprise policy, through a real Chromium policy file: Chromium on Linux reads
// /etc/chromium/policies/managed/*.json, and the `3rdparty` section reaches the extension (by the id its
// manifest key fixes) as storage.managed. The file is written before the browser starts and always removed
// afterwards: every other test file loads the same extension id.

const EXTENSION_ID = 'lmfkmlimgkpalpbmipadgohcipbcnnmh';
const POLICY_FILE = '/etc/chromium/policies/managed/linkwell-test.json';

async function writePolicy(settings: Settings): Promise<void> {
  await mkdir(path.dirname(POLICY_FILE), { recursive: true });
  await writeFile(
    POLICY_FILE,
    JSON.stringify({ '3rdparty': { extensions: { [EXTENSION_ID]: settings } } }, null, 2),
  );
}
const removePolicy = () => rmSync(POLICY_FILE, { force: true });

function practiceSettings(name: string, recordOrigin: string, linkWorkerName: string): Settings {
  return {
    version: 1,
    practice: { name, odsCode: 'L84001' },
    linkWorkers: [
      {
        id: 'pcn-lw',
        name: linkWorkerName,
        delivery: {
          method: 'fhir',
          endpoint: 'https://sp.example.org/fhir/$process-message',
          token: 'policy-token',
        },
      },
    ],
    recordSites: [{ origin: recordOrigin, label: 'Clinical system' }],
    offerFeeds: [],
    retentionDays: 14,
  };
}

describe('settings managed by the organisation', () => {
  let session: ExtensionSession;
  let policySite: TestServer;
  let localSite: TestServer;
  let page: Page;
  let policy: Settings;

  beforeAll(async () => {
    // Even a run that is killed must not leave the policy behind for the next test file.
    process.once('exit', removePolicy);
    policySite = await startServer();
    localSite = await startServer();
    policy = practiceSettings('Policy Surgery', policySite.origin, 'PCN link worker (policy)');
    await writePolicy(policy);
    session = await launchWithExtension(await extensionGrantedLoopback('chrome-options-policy'));
    await seedSettings(session, practiceSettings('Local Surgery', localSite.origin, 'Local link worker'));
    page = await openOptions(session);
  });
  afterAll(async () => {
    removePolicy();
    await session?.close();
    await policySite?.close();
    await localSite?.close();
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
    // The checks that change nothing still work: IT can test the organisation's endpoint from here.
    expect(await page.getByRole('button', { name: /^Send test message/ }).isEnabled()).toBe(true);
    expect(await page.getByLabel('Import settings').isDisabled()).toBe(true);
    await page.screenshot({ path: '/tmp/linkwell-options-managed.png' });
  });

  it('takes precedence over the settings saved in this browser', async () => {
    expect((await storedSettings(session)) as Settings).toMatchObject({
      practice: { name: 'Local Surgery' },
    });
    // The background runs the record-page script on the policy's record site, not the local one.
    await expect.poll(() => registeredOrigins(session)).toEqual([policySite.origin]);
    expect(
      await page
        .getByRole('group', { name: `Record site 1: ${policySite.origin}` })
        .getByText('Permission granted')
        .count(),
    ).toBe(1);
  });

  it('follows a change of policy without a restart', async () => {
    const changed = practiceSettings('Policy Surgery West', policySite.origin, 'PCN link worker (policy)');
    await writePolicy(changed);
    // chrome://policy's "Reload policies" makes Chromium read the files now instead of at its next refresh.
    const policyPage = await session.context.newPage();
    await policyPage.goto('chrome://policy');
    await policyPage.getByRole('button', { name: /Reload policies/i }).click();
    await policyPage.close();
    await expect
      .poll(() => page.getByLabel('Practice name').inputValue(), { timeout: 15_000 })
      .toBe('Policy Surgery West');
  });

  it('has no accessibility violations that axe-core can find on the managed page', async () => {
    expect(await axeViolations(page)).toEqual([]);
  });
});
