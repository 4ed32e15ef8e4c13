import { checkNhsNumber, nhsNumberProblemText } from '../core/nhs-number';
import { parseBannerDate } from '../core/patient-banner';
import { type PatientName, parsePatientName } from '../core/patient-name';
import type { ReasonId } from '../core/reasons';
import { type ContactMethod, parseReferral, type Referral, type ReferralProblem } from '../core/referral';
import type { LinkWorker, Settings } from '../core/settings';
import type { Referrer } from './connector';

// A referral being written, and how it becomes a referral. Pure: the panel's components hold drafts,
// one per patient, and nothing here touches the browser.

/** The patient a draft is for. Name and date of birth may be missing when the page did not show them. */
export interface DraftPatient {
  nhsNumber: string;
  name?: PatientName | undefined;
  birthDate?: string | undefined;
}

export interface SuggestedOffer {
  name: string;
  organisation?: string | undefined;
  url?: string | undefined;
  contact?: string | undefined;
}

export interface Draft {
  /** Fixed when the draft starts, so a double click or a retried message is still one referral. */
  id: string;
  patient: DraftPatient;
  /** What the GP typed where the page did not show the name or date of birth. */
  nameText: string;
  birthDateText: string;
  linkWorkerId: string;
  reasons: ReasonId[];
  otherReason: string;
  whatMatters: string;
  interpreterNeeded: boolean;
  language: string;
  accessibility: string;
  risks: string;
  contactMethod: ContactMethod | '';
  phone: string;
  email: string;
  bestTimes: string;
  priority: 'routine' | 'urgent';
  consent: boolean;
  /** When the consent box was ticked. */
  consentAt?: string;
  suggestedOffers: SuggestedOffer[];
  /** A failed referral this one is an edited copy of. */
  replaces?: string;
}

/** A new, empty draft for a patient; the only link worker is chosen already. */
export function newDraft(id: string, patient: DraftPatient, settings: Settings | undefined): Draft {
  const only = settings?.linkWorkers.length === 1 ? settings.linkWorkers[0]?.id : undefined;
  return {
    id,
    patient,
    nameText: '',
    birthDateText: '',
    linkWorkerId: only ?? '',
    reasons: [],
    otherReason: '',
    whatMatters: '',
    interpreterNeeded: false,
    language: '',
    accessibility: '',
    risks: '',
    contactMethod: '',
    phone: '',
    email: '',
    bestTimes: '',
    priority: 'routine',
    consent: false,
    suggestedOffers: [],
  };
}

/**
 * A draft from a failed referral, or one that needs the GP's attention, to edit and send as a new
 * referral that replaces it. With `chooseLinkWorkerAgain` (the link worker was removed or their address
 * changed after Send) the GP picks the link worker afresh: only the practice's only one is preselected.
 */
export function draftFromReferral(
  id: string,
  referral: Referral,
  settings: Settings | undefined,
  options: { chooseLinkWorkerAgain?: boolean } = {},
): Draft {
  const { patient } = referral;
  const fresh = newDraft(
    id,
    { nhsNumber: patient.nhsNumber, name: patient.name, birthDate: patient.birthDate },
    settings,
  );
  const stillThere = settings?.linkWorkers.some((worker) => worker.id === referral.linkWorker.id);
  return {
    ...fresh,
    linkWorkerId: options.chooseLinkWorkerAgain
      ? fresh.linkWorkerId
      : stillThere
        ? referral.linkWorker.id
        : '',
    reasons: [...referral.reasons],
    otherReason: referral.otherReason ?? '',
    whatMatters: referral.whatMatters ?? '',
    interpreterNeeded: referral.communication?.interpreterNeeded ?? false,
    language: referral.communication?.language ?? '',
    accessibility: referral.communication?.accessibility ?? '',
    risks: referral.risks ?? '',
    contactMethod: referral.contactPreference?.method ?? '',
    phone: patient.phone ?? '',
    email: patient.email ?? '',
    bestTimes: referral.contactPreference?.bestTimes ?? '',
    priority: referral.priority,
    // Consent is asked again: the GP confirms it for what is sent now.
    consent: false,
    suggestedOffers: referral.suggestedOffers.map((offer) => ({ ...offer })),
    replaces: referral.id,
  };
}

/**
 * The patient's identity as the panel shows it, as one comparable value: two readings of the same NHS
 * number with a different name or date of birth are different patients' details until the GP checks.
 */
export function patientDetailsKey(patient: DraftPatient): string {
  const { name } = patient;
  return JSON.stringify([
    patient.nhsNumber,
    name ? [name.text, name.family, name.given, name.prefix ?? ''] : null,
    patient.birthDate ?? null,
  ]);
}

/** Whether the GP has written anything in the draft yet (so a patient change is worth a word). */
export function hasContent(draft: Draft): boolean {
  return (
    draft.reasons.length > 0 ||
    draft.consent ||
    [
      draft.otherReason,
      draft.whatMatters,
      draft.language,
      draft.accessibility,
      draft.risks,
      draft.phone,
      draft.email,
    ].some((text) => text.trim() !== '') ||
    draft.suggestedOffers.length > 0
  );
}

function present(text: string): string | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The link worker as the referral carries it. */
function referralLinkWorker(worker: LinkWorker) {
  return {
    id: worker.id,
    name: worker.name,
    ...(worker.role ? { role: worker.role } : {}),
    ...(worker.organisation ? { organisation: worker.organisation } : {}),
    ...(worker.email ? { email: worker.email } : {}),
    ...(worker.phone ? { phone: worker.phone } : {}),
  };
}

export type BuildResult = { ok: true; referral: Referral } | { ok: false; problems: ReferralProblem[] };

/**
 * The referral a draft makes, checked by the same rules the background applies again, with problems
 * in the GP's words. The panel's own questions (who refers, which link worker) are checked first.
 */
export function buildReferral(
  draft: Draft,
  context: { settings: Settings | undefined; referrer: Referrer | undefined; now: Date },
): BuildResult {
  const problems: ReferralProblem[] = [];
  const { settings, referrer, now } = context;
  const worker = settings?.linkWorkers.find((candidate) => candidate.id === draft.linkWorkerId);
  if (!worker) problems.push({ path: 'linkWorker', message: 'Choose the link worker to refer to.' });
  if (!referrer?.name.trim()) problems.push({ path: 'referrer.name', message: 'Enter your name.' });

  const name = draft.patient.name ?? parsePatientName(draft.nameText);
  if (!name) {
    problems.push({
      path: 'patient.name',
      message: "Enter the patient's name, for example SMITH, Jane (Mrs) or Jane Smith.",
    });
  }
  const birthDate = draft.patient.birthDate ?? parseBannerDate(draft.birthDateText);
  if (!birthDate) {
    problems.push({
      path: 'patient.birthDate',
      message: "Enter the patient's date of birth, for example 12-Mar-1961 or 12/03/1961.",
    });
  }

  const communication =
    draft.interpreterNeeded || present(draft.language) || present(draft.accessibility)
      ? {
          interpreterNeeded: draft.interpreterNeeded,
          language: present(draft.language),
          accessibility: present(draft.accessibility),
        }
      : undefined;
  const input = {
    id: draft.id,
    createdAt: now.toISOString(),
    patient: {
      nhsNumber: draft.patient.nhsNumber,
      name: name ?? draft.nameText,
      birthDate: birthDate ?? '',
      phone: present(draft.phone),
      email: present(draft.email),
    },
    referrer: { name: referrer?.name ?? '', role: present(referrer?.role ?? '') },
    practice: { name: settings?.practice.name ?? '', odsCode: settings?.practice.odsCode },
    linkWorker: worker ? referralLinkWorker(worker) : { id: '', name: '' },
    reasons: draft.reasons,
    otherReason: present(draft.otherReason),
    whatMatters: present(draft.whatMatters),
    communication,
    risks: present(draft.risks),
    contactPreference: draft.contactMethod
      ? { method: draft.contactMethod, bestTimes: present(draft.bestTimes) }
      : undefined,
    priority: draft.priority,
    consent: { given: draft.consent, dateTime: draft.consentAt ?? now.toISOString() },
    suggestedOffers: draft.suggestedOffers,
  };
  const parsed = parseReferral(input);
  if (!parsed.ok) {
    // The panel's own checks already said these in the GP's words.
    const covered = new Set(problems.map((problem) => problem.path));
    for (const problem of parsed.problems) {
      const area = problem.path.startsWith('linkWorker')
        ? 'linkWorker'
        : problem.path.startsWith('patient.name')
          ? 'patient.name'
          : problem.path;
      if (
        !covered.has(area) &&
        !problem.path.startsWith('practice') &&
        !problem.path.startsWith('referrer.name')
      ) {
        problems.push(problem);
        covered.add(area);
      }
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return parsed.ok ? parsed : { ok: false, problems: parsed.problems };
}

/** The id of the form field a problem is about, for the error summary's links. */
export function fieldIdFor(path: string): string {
  if (path.startsWith('reasons')) return 'reason-loneliness';
  if (path.startsWith('consent')) return 'consent';
  if (path.startsWith('linkWorker')) return 'link-worker-0';
  if (path.startsWith('referrer.role')) return 'referrer-role';
  if (path.startsWith('referrer')) return 'referrer-name';
  if (path.startsWith('patient.name')) return 'patient-name';
  if (path.startsWith('patient.birthDate')) return 'patient-birth-date';
  if (path.startsWith('patient.phone')) return 'patient-phone';
  if (path.startsWith('patient.email')) return 'patient-email';
  if (path.startsWith('communication.language')) return 'language';
  if (path.startsWith('communication')) return 'accessibility';
  if (path.startsWith('contactPreference.bestTimes')) return 'best-times';
  if (path.startsWith('contactPreference')) return 'contact-phone';
  const known: Record<string, string> = {
    otherReason: 'other-reason',
    whatMatters: 'what-matters',
    risks: 'risks',
    priority: 'priority-routine',
  };
  return known[path] ?? 'referral-form';
}

/**
 * Reads a patient typed or pasted in by the GP (no record page): an NHS number that passes Modulus 11,
 * a name and a date of birth in the forms banners use.
 */
export function readTypedPatient(fields: {
  nhsNumber: string;
  name: string;
  birthDate: string;
}): { ok: true; patient: Required<DraftPatient> } | { ok: false; problems: ReferralProblem[] } {
  const problems: ReferralProblem[] = [];
  const check = checkNhsNumber(fields.nhsNumber);
  if (!check.ok) problems.push({ path: 'typed.nhsNumber', message: nhsNumberProblemText(check.problem) });
  const name = parsePatientName(fields.name);
  if (!name) {
    problems.push({
      path: 'typed.name',
      message: "Enter the patient's name, for example SMITH, Jane (Mrs) or Jane Smith.",
    });
  }
  const birthDate = parseBannerDate(fields.birthDate);
  if (!birthDate) {
    problems.push({
      path: 'typed.birthDate',
      message: "Enter the patient's date of birth, for example 12-Mar-1961 or 12/03/1961.",
    });
  }
  if (!check.ok || !name || !birthDate) return { ok: false, problems };
  return { ok: true, patient: { nhsNumber: check.nhsNumber, name, birthDate } };
}
