import { Fhir } from 'fhir';

// Every FHIR message the tests build or receive is checked here: by FHIR.js (the `fhir` package), an R4
// validator that is not ours, with `errorOnUnexpected` so an unknown property is an error, not a warning.
//
// FHIR.js 4.12 has blind spots. It accepts, without a word:
//   - an entry with no fullUrl, or two entries with the same one;
//   - a reference that points at no entry in the Bundle;
//   - a Consent with neither policy nor policyRule (invariant ppc-1);
//   - a Bundle.timestamp that is not an instant ("noon");
//   - a number where a string belongs (Patient.name.family = 42);
// and it throws a TypeError, instead of reporting, on a reference that is not a string.
// Covered by our own checks: fullUrls, references and the timestamp by `bundleShapeProblems` below (so
// for every bundle, in unit and end-to-end tests alike); ppc-1 by the Consent tests in
// src/core/fhir-message.test.ts and the Consent check below; numbers for strings by the @types/fhir types
// the mapping is written against (`npm run typecheck`); the TypeError is caught and reported as a problem.

const fhir = new Fhir();

// ServiceRequest.code has only an example binding in R4 (https://hl7.org/fhir/R4/servicerequest.html),
// which FHIR.js checks as if it were extensible; the contract requires SNOMED CT 871731000000106 there.
const EXPECTED_WARNING =
  'ServiceRequest.code: Code "871731000000106" (http://snomed.info/sct) not found in value set';

// R4 `instant`, from https://hl7.org/fhir/R4/datatypes.html#instant.
const INSTANT =
  /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$/;
const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Every `Reference.reference` anywhere in a JSON value, whatever its type. (An element may itself be
 * named `reference` and hold a Reference, as Consent.provision.data.reference does: looked into.)
 */
function references(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(references);
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === 'reference' && !isRecord(inner) ? [inner] : references(inner),
  );
}

/** What the contract asks of a message Bundle that FHIR.js does not check (see the list above). */
function bundleShapeProblems(bundle: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (typeof bundle.timestamp !== 'string' || !INSTANT.test(bundle.timestamp)) {
    problems.push(`Bundle.timestamp: not an instant: ${JSON.stringify(bundle.timestamp)}`);
  }
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  const fullUrls = new Set<string>();
  entries.forEach((entry: unknown, index) => {
    const fullUrl = isRecord(entry) ? entry.fullUrl : undefined;
    if (typeof fullUrl !== 'string' || !UUID_URN.test(fullUrl)) {
      problems.push(`Bundle.entry[${index}].fullUrl: not a urn:uuid: ${JSON.stringify(fullUrl)}`);
    } else if (fullUrls.has(fullUrl)) {
      problems.push(`Bundle.entry[${index}].fullUrl: used twice: ${fullUrl}`);
    } else {
      fullUrls.add(fullUrl);
    }
    const resource = isRecord(entry) ? entry.resource : undefined;
    if (
      isRecord(resource) &&
      resource.resourceType === 'Consent' &&
      !resource.policy &&
      !resource.policyRule
    ) {
      problems.push(`Bundle.entry[${index}] Consent: neither policy nor policyRule (invariant ppc-1)`);
    }
  });
  for (const reference of references(bundle.entry)) {
    if (typeof reference !== 'string')
      problems.push(`reference is not a string: ${JSON.stringify(reference)}`);
    else if (!fullUrls.has(reference)) problems.push(`reference points at no entry: ${reference}`);
  }
  return problems;
}

/**
 * Everything wrong with a FHIR R4 resource, as `location: message` lines; `[]` when there is nothing.
 * Errors and warnings from FHIR.js (less the one expected warning), then the checks it lacks for Bundles.
 *
 * @example
 * fhirProblems({ resourceType: 'Bundle', type: 'banana' }) // ['Bundle.type: Code "banana" not found in value set', …]
 */
export function fhirProblems(resource: unknown): string[] {
  if (!isRecord(resource)) return [`not a JSON object: ${JSON.stringify(resource)?.slice(0, 80)}`];
  const problems: string[] = [];
  try {
    const result = fhir.validate(resource, { errorOnUnexpected: true });
    for (const message of result.messages) {
      const problem = `${message.location}: ${message.message}`;
      if ((message.severity === 'error' || message.severity === 'warning') && problem !== EXPECTED_WARNING)
        problems.push(problem);
    }
    if (!result.valid && problems.length === 0) problems.push('FHIR.js says it is not valid');
  } catch (error) {
    problems.push(`FHIR.js could not validate it: ${error instanceof Error ? error.message : String(error)}`);
  }
  return resource.resourceType === 'Bundle' ? [...problems, ...bundleShapeProblems(resource)] : problems;
}

/** Throws, listing every problem, unless `resource` is valid FHIR R4 (see `fhirProblems`). */
export function assertValidFhir<T>(resource: T, what = 'the FHIR message'): T {
  const problems = fhirProblems(resource);
  if (problems.length > 0) throw new Error(`${what} is not valid FHIR R4:\n  ${problems.join('\n  ')}`);
  return resource;
}
