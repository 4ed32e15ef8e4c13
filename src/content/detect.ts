import { checkNhsNumber } from '../core/nhs-number';
import {
  findBirthDate,
  findNhsNumbers,
  findPatientName,
  parseBannerDate,
  readPatientBanner,
} from '../core/patient-banner';
import { parsePatientName } from '../core/patient-name';
import type { RecordSite } from '../core/settings';
import type { RecordPatient } from '../shared/messages';

// Finding the patient on a record page (CONTRACT.md section 3): the practice's configured selectors
// first, then the NHS patient banner conventions over the page's text. Runs on every change of a
// single-page clinical system, so it reads text nodes only: no layout, no innerText.

export type Selectors = NonNullable<RecordSite['selectors']>;

export interface Detection {
  patient: RecordPatient;
  /** The element to put the button beside (where the NHS number is shown). */
  anchor?: Element;
}

// Text in these elements is never shown as the page's words.
const SKIPPED = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA', 'INPUT', 'SELECT']);

/** The page's visible-text nodes, each on its own line, so that banner items stay apart. */
function pageText(root: Element, skip: Node | undefined): { text: string; nodes: Text[] } {
  const nodes: Text[] = [];
  const parts: string[] = [];
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      if (node.nodeType === Node.ELEMENT_NODE) {
        return node === skip || SKIPPED.has((node as Element).tagName)
          ? NodeFilter.FILTER_REJECT
          : NodeFilter.FILTER_SKIP;
      }
      return NodeFilter.FILTER_ACCEPT;
    },
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const value = (node as Text).data;
    if (value.trim() === '') continue;
    nodes.push(node as Text);
    parts.push(value);
  }
  return { text: parts.join('\n'), nodes };
}

// A region grows from an `NHS` label up through its ancestors while it holds less text than this:
// enough for a banner (or a table of demographics), never the whole record.
const REGION_TEXT_MAX = 1500;
// The text nodes read after each `NHS` label on their own, whatever the layout: the label's own node
// and the next few (`NHS No.`, then the number, in elements of their own inside a large container).
const LABEL_WINDOW_NODES = 4;

/** Text nodes under `body` whose text contains `NHS`, in page order. */
function nhsTextNodes(body: HTMLElement): Text[] {
  const document = body.ownerDocument;
  const found: Text[] = [];
  // One native XPath query: cheap on a long record. (DOM implementations without XPath, such as the
  // unit tests' happy-dom, walk the text nodes instead.)
  if (typeof document.evaluate === 'function' && typeof XPathResult !== 'undefined') {
    const hits = document.evaluate(
      ".//text()[contains(., 'NHS')]",
      body,
      null,
      XPathResult.ORDERED_NODE_SNAPSHOT_TYPE,
      null,
    );
    for (let index = 0; index < hits.snapshotLength; index += 1) {
      const hit = hits.snapshotItem(index);
      if (hit?.nodeType === Node.TEXT_NODE) found.push(hit as Text);
    }
    return found;
  }
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if ((node as Text).data.includes('NHS')) found.push(node as Text);
  }
  return found;
}

/** The label's text node and the next few shown text nodes after it, in page order. */
function labelWindow(hit: Text, body: HTMLElement, skip: Node | undefined): Text[] {
  const walker = body.ownerDocument.createTreeWalker(body, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      const parent = node.parentElement;
      if (!parent || SKIPPED.has(parent.tagName) || (skip?.contains(node) ?? false)) {
        return NodeFilter.FILTER_REJECT;
      }
      return (node as Text).data.trim() === '' ? NodeFilter.FILTER_SKIP : NodeFilter.FILTER_ACCEPT;
    },
  });
  walker.currentNode = hit;
  const nodes = [hit];
  for (let node = walker.nextNode(); node && nodes.length < LABEL_WINDOW_NODES; node = walker.nextNode()) {
    nodes.push(node as Text);
  }
  return nodes;
}

/**
 * The text around each `NHS` label on the page: the banner conventions put the name, date of birth and
 * number together. Reading only these regions keeps detection cheap on a long record (the whole page's
 * text is never joined or searched). Each label is also read with the few text nodes that follow it,
 * so that a number in an element of its own, inside a container too large to read whole, is still
 * counted: a second patient on the page must never go unseen.
 */
function bannerText(body: HTMLElement, skip: Node | undefined): { text: string; nodes: Text[] } {
  const hits = nhsTextNodes(body).filter(
    (hit) => hit.parentElement && !(skip?.contains(hit) ?? false) && !SKIPPED.has(hit.parentElement.tagName),
  );
  const regions: Element[] = [];
  for (const hit of hits) {
    let region = hit.parentElement;
    if (!region) continue;
    while (
      region.parentElement &&
      region.parentElement !== body &&
      (region.parentElement.textContent?.length ?? 0) <= REGION_TEXT_MAX
    ) {
      region = region.parentElement;
    }
    // One reading per region, and none of a region inside another already read.
    if (regions.some((seen) => seen.contains(region))) continue;
    for (let seen = regions.length - 1; seen >= 0; seen -= 1) {
      if (region.contains(regions[seen] ?? null)) regions.splice(seen, 1);
    }
    regions.push(region);
  }
  const parts = regions.map((region) => pageText(region, skip));
  // The label windows come after the regions: the name and date of birth are still taken from a region
  // first; the windows add the numbers a region could not reach.
  const windows = hits
    .map((hit) => labelWindow(hit, body, skip))
    .filter((nodes) => !regions.some((region) => nodes.every((node) => region.contains(node))))
    .map((nodes) => ({ text: nodes.map((node) => node.data).join('\n'), nodes }));
  const all = [...parts, ...windows];
  return { text: all.map((part) => part.text).join('\n\n'), nodes: all.flatMap((part) => part.nodes) };
}

function queryAll(root: ParentNode, selector: string | undefined): Element[] {
  if (!selector) return [];
  try {
    return [...root.querySelectorAll(selector)];
  } catch {
    // A selector the browser cannot read is the same as none: the conventions still apply.
    return [];
  }
}

function textOf(element: Element | undefined): string {
  return element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

/** The text node that shows this NHS number (in any of its written forms). */
function nodeShowing(nodes: readonly Text[], nhsNumber: string): Text | undefined {
  return nodes.find((node) => node.data.replace(/\D/g, '').includes(nhsNumber));
}

/** The banner around an element that shows the patient, when the page marks one; else the element. */
function bannerOf(element: Element): Element {
  // The outermost match: inside a banner, parts are often named after it too (`banner-item`), and the
  // button belongs beside the whole banner, not one of its parts.
  let banner: Element | undefined;
  for (let current: Element | null = element; current; current = current.parentElement) {
    if (current.matches('body, html, main')) break;
    if (current.matches(BANNER)) banner = current;
  }
  return banner ?? element;
}
const BANNER = '[role="banner"], header, [class*="banner" i], [id*="banner" i]';

/** What the configured selectors find: a reading, or undefined when they find no NHS number. */
function detectBySelectors(
  document: Document,
  selectors: Selectors,
  text: () => string,
): Detection | undefined {
  const numberElements = queryAll(document, selectors.nhsNumber);
  const numbers = numberElements.flatMap((element) =>
    findNhsNumbers(textOf(element), { unlabelledNumber: true }).map((number) => ({ number, element })),
  );
  if (numbers.length === 0) return undefined;
  const valid = new Set<string>();
  for (const { number } of numbers) {
    const check = checkNhsNumber(number);
    if (!check.ok) return { patient: { state: 'problem', problem: 'invalid-nhs-number' } };
    valid.add(check.nhsNumber);
  }
  if (valid.size > 1) return { patient: { state: 'problem', problem: 'several-nhs-numbers' } };
  const [nhsNumber] = valid;
  if (nhsNumber === undefined) return undefined;

  const nameText = textOf(queryAll(document, selectors.name)[0]).replace(/^(?:Patient )?Name\s*:?\s*/i, '');
  const name = nameText ? (parsePatientName(nameText) ?? findPatientName(nameText)) : findPatientName(text());
  const dateText = textOf(queryAll(document, selectors.birthDate)[0]);
  const birthDate = dateText
    ? (parseBannerDate(dateText.replace(/^[^0-9]*?(?=\d)/, '')) ?? findBirthDate(dateText))
    : findBirthDate(text());
  const first = numbers[0]?.element;
  const anchor = first ? bannerOf(first) : undefined;
  return {
    patient: {
      state: 'patient',
      patient: { nhsNumber, ...(name ? { name } : {}), ...(birthDate ? { birthDate } : {}) },
    },
    ...(anchor ? { anchor } : {}),
  };
}

/**
 * Reads the patient a record page shows. `skip` is Linkwell's own element on the page, never read.
 */
export function detectRecordPatient(
  document: Document,
  selectors: Selectors | undefined,
  skip?: Node,
): Detection {
  const body = document.body;
  if (!body) return { patient: { state: 'none' } };
  let read: { text: string; nodes: Text[] } | undefined;
  const page = () => {
    read ??= bannerText(body, skip);
    return read;
  };
  if (selectors?.nhsNumber) {
    const bySelectors = detectBySelectors(document, selectors, () => page().text);
    if (bySelectors) return bySelectors;
  }
  const reading = readPatientBanner(page().text);
  if (!reading.ok) {
    return {
      patient:
        reading.problem === 'no-nhs-number'
          ? { state: 'none' }
          : { state: 'problem', problem: reading.problem },
    };
  }
  const node = nodeShowing(page().nodes, reading.patient.nhsNumber);
  const anchor = node?.parentElement ? bannerOf(node.parentElement) : undefined;
  const { nhsNumber, name, birthDate } = reading.patient;
  return {
    patient: {
      state: 'patient',
      patient: { nhsNumber, ...(name ? { name } : {}), ...(birthDate ? { birthDate } : {}) },
    },
    ...(anchor ? { anchor } : {}),
  };
}

/** A key that changes exactly when what the page shows about its patient changes. */
export function detectionKey(patient: RecordPatient): string {
  return JSON.stringify(patient);
}
