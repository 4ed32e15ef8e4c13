// The referral as plain text, for a link worker who receives it by email, or a copy or print-out
// (CONTRACT.md section 4, `email` link workers). Written to be read top to bottom by a person.
import { formatNhsNumber } from './nhs-number';
import { displayPatientName } from './patient-name';
import { reasonLabel } from './reasons';
import { CONTACT_METHOD_WORDS, communicationText, type Referral } from './referral';
import { REFERRAL_TO_SOCIAL_PRESCRIBING } from './snomed';

// Fixed English month names: Intl's en-GB short months changed to `Sept` in recent CLDR, and the text must
// read the same in every browser.
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Times are shown as the clock in England read, whatever the time zone of the computer that sends them.
const UK_CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  hourCycle: 'h23',
});

/**
 * A calendar date as NHS screens show it, day first with the month in words.
 * @example formatDate('1961-03-12') // '12 Mar 1961'
 */
export function formatDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  const month = match ? MONTHS[Number(match[2]) - 1] : undefined;
  if (!match || month === undefined) return isoDate;
  return `${match[3]} ${month} ${match[1]}`;
}

/**
 * A moment as UK clock time, with the date in words.
 * @example formatDateTime('2025-03-12T10:10:00Z') // '12 Mar 2025 at 10:10'
 */
export function formatDateTime(moment: string | Date): string {
  const date = typeof moment === 'string' ? new Date(moment) : moment;
  if (Number.isNaN(date.getTime())) return String(moment);
  const parts = Object.fromEntries(UK_CLOCK.formatToParts(date).map((part) => [part.type, part.value]));
  const day = (parts.day ?? '').padStart(2, '0');
  const month = MONTHS[Number(parts.month) - 1] ?? '';
  const hour = (parts.hour ?? '').padStart(2, '0');
  return `${day} ${month} ${parts.year} at ${hour}:${parts.minute}`;
}

/**
 * The plain-text referral: who the patient is, who refers them and to whom, why, what matters to them,
 * how to reach them, consent, suggested offers, and the code to record.
 *
 * @example
 * referralToText(referral).split('\n')[2] // 'Patient: SMITH, Jane (Mrs)'
 */
export function referralToText(referral: Referral, options: { now?: Date } = {}): string {
  const { patient, referrer, practice, linkWorker } = referral;
  const urgent = referral.priority === 'urgent';
  const lines: string[] = [urgent ? 'URGENT social prescribing referral' : 'Social prescribing referral', ''];

  lines.push(
    `Patient: ${displayPatientName(patient.name)}`,
    `Date of birth: ${formatDate(patient.birthDate)}`,
    `NHS number: ${formatNhsNumber(patient.nhsNumber)}`,
  );
  if (patient.phone !== undefined) lines.push(`Phone: ${patient.phone}`);
  if (patient.email !== undefined) lines.push(`Email: ${patient.email}`);
  if (patient.address !== undefined) {
    const address = [...patient.address.lines, patient.address.postcode].filter(Boolean).join(', ');
    lines.push(`Address: ${address}`);
  }

  lines.push(
    '',
    `Priority: ${urgent ? 'Urgent' : 'Routine'}`,
    `Referred on: ${formatDateTime(referral.createdAt)}`,
  );
  lines.push(`Referred by: ${joinPresent([referrer.name, referrer.role])}`);
  if (referrer.professionalId !== undefined) lines.push(`Professional number: ${referrer.professionalId}`);
  lines.push(`Practice: ${practice.name}${practice.odsCode ? ` (ODS code ${practice.odsCode})` : ''}`);
  lines.push(`Referred to: ${joinPresent([linkWorker.name, linkWorker.role, linkWorker.organisation])}`);

  lines.push('', 'Reasons for referral:');
  for (const reason of referral.reasons) {
    const words =
      reason === 'other' && referral.otherReason ? `Other: ${referral.otherReason}` : reasonLabel(reason);
    lines.push(`- ${words}`);
  }
  if (referral.otherReason !== undefined && !referral.reasons.includes('other')) {
    lines.push(`- Other: ${referral.otherReason}`);
  }

  if (referral.whatMatters !== undefined) lines.push('', 'What matters to the person:', referral.whatMatters);
  if (referral.communication !== undefined)
    lines.push('', `Communication needs: ${communicationText(referral)}`);
  if (referral.risks !== undefined) lines.push('', 'Risks:', referral.risks);
  if (referral.contactPreference !== undefined) {
    const { method, bestTimes } = referral.contactPreference;
    lines.push(
      '',
      `Contact preference: ${CONTACT_METHOD_WORDS[method]}${bestTimes ? `. Best times: ${bestTimes}` : ''}`,
    );
  }

  lines.push(
    '',
    `Consent: the patient consented to this referral, and to these details being shared with the link worker, on ${formatDateTime(referral.consent.dateTime)}.`,
  );

  if (referral.suggestedOffers.length > 0) {
    lines.push('', 'Suggested offers:');
    for (const offer of referral.suggestedOffers) {
      lines.push(`- ${offer.name}${offer.organisation ? ` (${offer.organisation})` : ''}`);
      if (offer.url !== undefined) lines.push(`  ${offer.url}`);
      if (offer.contact !== undefined) lines.push(`  Contact: ${offer.contact}`);
    }
  }

  lines.push(
    '',
    `Code to record: SNOMED CT ${REFERRAL_TO_SOCIAL_PRESCRIBING.code} ${REFERRAL_TO_SOCIAL_PRESCRIBING.display}`,
    `Referral reference: ${referral.id}`,
  );
  if (options.now !== undefined) lines.push(`Written: ${formatDateTime(options.now)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The email subject for a referral. It names the practice and the priority, and a short reference to the
 * referral, but never the patient: subjects are kept in mail server logs, shown in notification previews
 * and on lock screens, and are not protected like the body.
 *
 * @example referralEmailSubject(referral) // 'Social prescribing referral from Severnside Surgery (ref 5b3e9c1a)'
 */
export function referralEmailSubject(referral: Referral): string {
  // One line whatever the practice name holds: a line break in a subject would start a new mail header.
  const practice = referral.practice.name.replace(/\s+/g, ' ');
  const subject = `social prescribing referral from ${practice} (ref ${referral.id.slice(0, 8)})`;
  return referral.priority === 'urgent' ? `Urgent: ${subject}` : `S${subject.slice(1)}`;
}

function joinPresent(parts: readonly (string | undefined)[]): string {
  return parts.filter((part): part is string => part !== undefined && part !== '').join(', ');
}
