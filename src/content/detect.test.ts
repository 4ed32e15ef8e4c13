// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { detectRecordPatient } from './detect';

// Patient detection on record pages of several layouts. happy-dom has no XPath, so these tests find the
// `NHS` labels by walking the text (detect.ts does the same where XPath is missing); the end-to-end tests
// run the XPath road in Chromium.

function page(html: string): Document {
  document.body.innerHTML = html;
  return document;
}
afterEach(() => {
  document.body.innerHTML = '';
});

/** Text long enough that a container holding it is never read whole (more than 1,500 characters). */
const LONG_RECORD = Array.from(
  { length: 40 },
  (_, index) => `<p>Consultation ${index}: reviewed medication, blood pressure 128/82, follow up.</p>`,
).join('');

describe('detecting the patient on a record page', () => {
  it('reads an NHS patient banner', () => {
    const { patient, anchor } = detectRecordPatient(
      page(`<header class="banner" id="b"><span>SMITH, Jane (Mrs)</span> <span>Born 12-Mar-1961</span>
        <span>NHS No. 943 476 5919</span></header><main>${LONG_RECORD}</main>`),
      undefined,
    );
    expect(patient).toEqual({
      state: 'patient',
      patient: {
        nhsNumber: '9434765919',
        name: expect.objectContaining({ family: 'SMITH', given: ['Jane'] }),
        birthDate: '1961-03-12',
      },
    });
    expect(anchor?.id).toBe('b');
  });

  it('finds no patient on a page without an NHS number', () => {
    expect(detectRecordPatient(page(`<main>${LONG_RECORD}</main>`), undefined).patient).toEqual({
      state: 'none',
    });
  });

  it('takes no patient from a number that fails Modulus 11', () => {
    expect(detectRecordPatient(page('<p>SMITH, Jane  NHS No. 943 476 5910</p>'), undefined).patient).toEqual({
      state: 'problem',
      problem: 'invalid-nhs-number',
    });
  });

  it('takes no patient from a page with two patients in banners of their own', () => {
    const { patient } = detectRecordPatient(
      page(`<section><h2>SMITH, Jane (Mrs)</h2><p>NHS No. 943 476 5919</p></section>
        <section><h2>SMITH, John (Mr)</h2><p>NHS No. 999 526 0182</p></section>`),
      undefined,
    );
    expect(patient).toEqual({ state: 'problem', problem: 'several-nhs-numbers' });
  });

  it('sees a second patient whose label and number are separate children of a large container', () => {
    const { patient } = detectRecordPatient(
      page(`<header class="banner"><span>SMITH, Jane (Mrs)</span> <span>NHS No. 943 476 5919</span></header>
        <div id="record">${LONG_RECORD}<div><b>Linked record</b></div><span>NHS No.</span><span>999 526 0182</span>${LONG_RECORD}</div>`),
      undefined,
    );
    expect(patient).toEqual({ state: 'problem', problem: 'several-nhs-numbers' });
  });

  it('sees a second patient whose label and number sit straight under <body>', () => {
    const { patient } = detectRecordPatient(
      page(`<header class="banner"><span>SMITH, Jane (Mrs)</span> <span>NHS No. 943 476 5919</span></header>
        <span>NHS Number</span><span>999-526-0182</span>`),
      undefined,
    );
    expect(patient).toEqual({ state: 'problem', problem: 'several-nhs-numbers' });
  });

  it('sees a second patient in a table cell beside its label, inside a long record', () => {
    const { patient } = detectRecordPatient(
      page(`<div class="banner">SMITH, Jane (Mrs) NHS No. 943 476 5919</div>
        <div>${LONG_RECORD}<table><tr><th>NHS Number</th><td>9995260182</td></tr></table>${LONG_RECORD}</div>`),
      undefined,
    );
    expect(patient).toEqual({ state: 'problem', problem: 'several-nhs-numbers' });
  });

  it('still reads one patient whose label and number are apart in a large container', () => {
    const { patient } = detectRecordPatient(
      page(`<div>${LONG_RECORD}<span>NHS No.</span><span>943 476 5919</span>${LONG_RECORD}</div>`),
      undefined,
    );
    expect(patient).toMatchObject({ state: 'patient', patient: { nhsNumber: '9434765919' } });
  });

  it('never reads Linkwell’s own element on the page', () => {
    const document = page(
      '<header class="banner">SMITH, Jane (Mrs) NHS No. 943 476 5919</header><div id="ours">NHS No. 999 526 0182</div>',
    );
    const ours = document.getElementById('ours') ?? undefined;
    expect(detectRecordPatient(document, undefined, ours).patient).toMatchObject({
      state: 'patient',
      patient: { nhsNumber: '9434765919' },
    });
  });

  it('uses the practice’s own selectors before the banner conventions', () => {
    const { patient } = detectRecordPatient(
      page(`<div class="pt-name">Mr Alun Jones</div><div class="pt-dob">1950-01-31</div><div class="pt-id">9995260182</div>
        <header class="banner">SMITH, Jane (Mrs)  Born 12-Mar-1961  NHS No. 943 476 5919</header>`),
      { nhsNumber: '.pt-id', name: '.pt-name', birthDate: '.pt-dob' },
    );
    expect(patient).toMatchObject({
      state: 'patient',
      patient: { nhsNumber: '9995260182', name: { family: 'Jones' }, birthDate: '1950-01-31' },
    });
  });

  it('falls back to the conventions when the selectors find no number', () => {
    const { patient } = detectRecordPatient(
      page('<header class="banner">SMITH, Jane (Mrs)  NHS No. 943 476 5919</header>'),
      { nhsNumber: '.missing' },
    );
    expect(patient).toMatchObject({ state: 'patient', patient: { nhsNumber: '9434765919' } });
  });
});
