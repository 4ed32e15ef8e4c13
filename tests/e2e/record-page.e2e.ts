import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtensionSession, launchWithExtension } from './support/browser';
import { extensionGrantedLoopback, seedSettings, testSettings } from './support/extension';
import { openPanel, RECORD_PAGES, tabIdOf, waitForRecordScript } from './support/panel';
import { startServer, type TestServer } from './support/static-server';

// The record page beside the panel: patient detection on several banner layouts, the button in its
// own shadow root, a single-page app that swaps patients, and pages the panel must not trust.

const BUTTON = { name: 'Refer to link worker' };

describe('the record page', () => {
  let session: ExtensionSession;
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ root: RECORD_PAGES });
    session = await launchWithExtension(await extensionGrantedLoopback('chrome-record-page'));
    await seedSettings(
      session,
      testSettings({ recordOrigin: server.origin, fhirEndpoint: 'http://127.0.0.1:9/fhir' }),
    );
    await waitForRecordScript(session);
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  async function open(file: string): Promise<Page> {
    const page = await session.context.newPage();
    await page.goto(`${server.origin}/${file}`);
    return page;
  }

  it('shows the button on an NHS banner, and the panel shows that patient', async () => {
    const page = await open('banner-nhs.html');
    await expect.poll(() => page.getByRole('button', BUTTON).isVisible()).toBe(true);
    // The button lives in a shadow root of its own, not in the page's DOM.
    expect(await page.evaluate(() => document.querySelector('linkwell-refer')?.shadowRoot?.mode)).toBe(
      'open',
    );
    const panel = await openPanel(session, await tabIdOf(session, page));
    const patient = panel.getByRole('region', { name: 'Patient' });
    await expect.poll(() => patient.textContent()).toContain('SMITH, Jane (Mrs)');
    expect(await patient.textContent()).toContain('12 Mar 1961');
    expect(await patient.textContent()).toContain('943 476 5919');
    await panel.close();
    await page.close();
  });

  it('puts the button under the whole banner, never over the patient’s details', async () => {
    const page = await open('banner-nested.html');
    await page.setViewportSize({ width: 700, height: 600 });
    const button = page.getByRole('button', BUTTON);
    await expect.poll(() => button.isVisible()).toBe(true);
    const banner = await page.locator('#patient-banner').boundingBox();
    await expect
      .poll(async () => (await button.boundingBox())?.y)
      .toBeGreaterThanOrEqual((banner?.y ?? 0) + (banner?.height ?? 0));
    await page.close();
  });

  it('opens the side panel for its tab when pressed', async () => {
    const page = await open('banner-nhs.html');
    const tabId = await tabIdOf(session, page);
    // The side panel's document is an extension page bound to this tab. Playwright does not list side
    // panels among its pages, so ask the browser for its targets.
    const cdp = await session.context.newCDPSession(page);
    const panelOpen = async () =>
      (await cdp.send('Target.getTargets')).targetInfos.some((target) =>
        target.url.endsWith(`/src/panel/index.html?tabId=${tabId}`),
      );
    expect(await panelOpen()).toBe(false);
    await page.getByRole('button', BUTTON).click();
    await expect.poll(panelOpen, { timeout: 10_000 }).toBe(true);
    expect(await page.getByText('Open Linkwell from the browser toolbar').count()).toBe(0);
    await page.close();
  });

  it('reads a table layout with Name, D.O.B. and NHS Number labels', async () => {
    const page = await open('banner-table.html');
    await expect.poll(() => page.getByRole('button', BUTTON).isVisible()).toBe(true);
    const panel = await openPanel(session, await tabIdOf(session, page));
    const patient = panel.getByRole('region', { name: 'Patient' });
    await expect.poll(() => patient.textContent()).toContain('OKAFOR, Grace Adaeze');
    expect(await patient.textContent()).toContain('02 Nov 1948');
    await panel.close();
    await page.close();
  });

  it('takes no patient from a page with two, and the panel says why and asks', async () => {
    const page = await open('two-patients.html');
    const panel = await openPanel(session, await tabIdOf(session, page));
    await expect.poll(() => panel.getByText(/more than one NHS number/).isVisible()).toBe(true);
    expect(await page.getByRole('button', BUTTON).count()).toBe(0);
    expect(await panel.getByLabel('NHS number').isVisible()).toBe(true);
    await panel.close();
    await page.close();
  });

  it('sees a second patient whose label and number sit apart inside a long record', async () => {
    const page = await open('two-patients-split.html');
    const panel = await openPanel(session, await tabIdOf(session, page));
    await expect.poll(() => panel.getByText(/more than one NHS number/).isVisible()).toBe(true);
    expect(await page.getByRole('button', BUTTON).count()).toBe(0);
    await panel.close();
    await page.close();
  });

  it('puts the button next after the banner in the keyboard’s order', async () => {
    const page = await open('banner-links.html');
    const button = page.getByRole('button', BUTTON);
    await expect.poll(() => button.isVisible()).toBe(true);
    const focused = () =>
      page.evaluate(() => {
        const active = document.activeElement;
        // The button is in its host's shadow root: the document sees the host as focused.
        return active?.shadowRoot?.activeElement?.textContent ?? active?.textContent ?? '';
      });
    await page.getByRole('link', { name: 'Patient summary' }).focus();
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Refer to link worker');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Consultation history');
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('Refer to link worker');
    // Still below the banner, not over it.
    const banner = await page.locator('#patient-banner').boundingBox();
    const box = await button.boundingBox();
    expect(box?.y ?? 0).toBeGreaterThanOrEqual((banner?.y ?? 0) + (banner?.height ?? 0));
    await page.close();
  });

  it('offers a keyboard shortcut that opens the panel from the toolbar action', async () => {
    const commands = await session.serviceWorker.evaluate(() => chrome.commands.getAll());
    expect(commands).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: '_execute_action', shortcut: 'Alt+Shift+L' })]),
    );
  });

  it('takes no patient from a number that fails Modulus 11', async () => {
    const page = await open('invalid-number.html');
    const panel = await openPanel(session, await tabIdOf(session, page));
    await expect.poll(() => panel.getByText(/fails the Modulus 11 check/).isVisible()).toBe(true);
    expect(await page.getByRole('button', BUTTON).count()).toBe(0);
    await panel.close();
    await page.close();
  });

  it('shows nothing where there is no patient', async () => {
    const page = await open('no-patient.html');
    const panel = await openPanel(session, await tabIdOf(session, page));
    await expect
      .poll(() => panel.getByText(/No patient was found on the record page/).isVisible())
      .toBe(true);
    expect(await page.getByRole('button', BUTTON).count()).toBe(0);
    await panel.close();
    await page.close();
  });

  it('follows a single-page app to the next patient, keeping each draft with its own patient', async () => {
    const page = await open('spa.html');
    await expect.poll(() => page.getByRole('button', BUTTON).isVisible()).toBe(true);
    const panel = await openPanel(session, await tabIdOf(session, page));
    const patient = panel.getByRole('region', { name: 'Patient' });
    await expect.poll(() => patient.textContent()).toContain('SMITH, Jane (Mrs)');
    await panel.getByRole('checkbox', { name: 'Housing', exact: true }).check();
    await panel.getByLabel('What matters to the person (optional)').fill('Her garden');

    await page.getByRole('button', { name: 'Open Grace Okafor' }).click();
    await expect.poll(() => patient.textContent()).toContain('OKAFOR, Grace (Ms)');
    expect(await patient.textContent()).toContain('999 526 0182');
    expect(await panel.getByRole('alert').textContent()).toMatch(/patient changed.*not carried across/);
    expect(await panel.getByRole('checkbox', { name: 'Housing', exact: true }).isChecked()).toBe(false);
    expect(await panel.getByLabel('What matters to the person (optional)').inputValue()).toBe('');

    await page.getByRole('button', { name: 'Back to list' }).click();
    await expect.poll(() => page.getByRole('button', BUTTON).count()).toBe(0);
    await expect.poll(() => patient.textContent()).toContain('No patient selected');

    await page.getByRole('button', { name: 'Open Jane Smith' }).click();
    await expect.poll(() => patient.textContent()).toContain('SMITH, Jane (Mrs)');
    expect(await panel.getByRole('checkbox', { name: 'Housing', exact: true }).isChecked()).toBe(true);
    expect(await panel.getByLabel('What matters to the person (optional)').inputValue()).toBe('Her garden');
    await panel.close();
    await page.close();
  });

  it('follows the patient on a page that never goes quiet (a clock ticking every 40 ms)', async () => {
    const page = await open('spa-ticking.html');
    await expect.poll(() => page.getByRole('button', BUTTON).isVisible()).toBe(true);
    const panel = await openPanel(session, await tabIdOf(session, page));
    const patient = panel.getByRole('region', { name: 'Patient' });
    await expect.poll(() => patient.textContent()).toContain('SMITH, Jane (Mrs)');
    await page.getByRole('button', { name: 'Open Grace Okafor' }).click();
    await expect.poll(() => patient.textContent()).toContain('OKAFOR, Grace (Ms)');
    expect(await patient.textContent()).toContain('999 526 0182');
    await page.getByRole('button', { name: 'Open Jane Smith' }).click();
    await expect.poll(() => patient.textContent()).toContain('SMITH, Jane (Mrs)');
    await panel.close();
    await page.close();
  });

  it('uses the practice’s own selectors first', async () => {
    const settings = testSettings({ recordOrigin: server.origin, fhirEndpoint: 'http://127.0.0.1:9/fhir' });
    const site = settings.recordSites[0];
    if (site) site.selectors = { nhsNumber: '.pt-id', name: '.pt-name', birthDate: '.pt-dob' };
    await seedSettings(session, settings);
    const page = await open('banner-selectors.html');
    await expect.poll(() => page.getByRole('button', BUTTON).isVisible()).toBe(true);
    const panel = await openPanel(session, await tabIdOf(session, page));
    const patient = panel.getByRole('region', { name: 'Patient' });
    // The page also shows a conventional banner for another patient: the selectors win over it.
    await expect.poll(() => patient.textContent()).toContain('JONES, Alun (Mr)');
    expect(await patient.textContent()).not.toContain('SMITH');
    expect(await patient.textContent()).toContain('31 Jan 1950');
    expect(await patient.textContent()).toContain('999 526 0182');
    await panel.close();
    await page.close();
  });

  it('stops reading a tab already open once its site is taken out of the settings', async () => {
    const settings = testSettings({ recordOrigin: server.origin, fhirEndpoint: 'http://127.0.0.1:9/fhir' });
    await seedSettings(session, settings);
    const page = await open('banner-nhs.html');
    await expect.poll(() => page.getByRole('button', BUTTON).isVisible()).toBe(true);

    // The practice manager removes the site; this tab keeps its script, as browsers do.
    await seedSettings(session, { ...settings, recordSites: [] });
    const panel = await openPanel(session, await tabIdOf(session, page));
    await expect
      .poll(() => panel.getByText(/Enter the patient’s details, or paste the patient banner line/).count())
      .toBeGreaterThan(0);
    expect(await panel.getByRole('region', { name: 'Patient' }).textContent()).not.toContain('SMITH');
    await expect.poll(() => page.getByRole('button', BUTTON).count()).toBe(0);
    await panel.close();
    await page.close();
    await seedSettings(session, settings);
  });
});
