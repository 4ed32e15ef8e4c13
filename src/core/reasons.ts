/**
 * Why a GP refers someone to a social prescribing link worker. The id is stable (stored in the outbox and
 * in settings); the label is what the GP sees and what the FHIR message carries as `reasonCode.text`.
 */

/** The reason ids, in the order the panel lists them. */
export const REASON_IDS = [
  'loneliness',
  'low-mood',
  'bereavement',
  'long-term-condition',
  'inactivity',
  'money',
  'housing',
  'carer',
  'work-learning',
  'other',
] as const;

export type ReasonId = (typeof REASON_IDS)[number];

export interface ReferralReason {
  readonly id: ReasonId;
  readonly label: string;
}

const LABELS: Readonly<Record<ReasonId, string>> = {
  loneliness: 'Loneliness or isolation',
  'low-mood': 'Low mood or anxiety',
  bereavement: 'Bereavement',
  'long-term-condition': 'Long-term condition support',
  inactivity: 'Physical inactivity',
  money: 'Money or debt',
  housing: 'Housing',
  carer: 'Carer support',
  'work-learning': 'Work or learning',
  other: 'Other',
};

/**
 * Every referral reason with its label, in display order.
 * @example REFERRAL_REASONS[0] // { id: 'loneliness', label: 'Loneliness or isolation' }
 */
export const REFERRAL_REASONS: readonly ReferralReason[] = REASON_IDS.map((id) => ({
  id,
  label: LABELS[id],
}));

/**
 * The words shown for a reason.
 * @example reasonLabel('money') // 'Money or debt'
 */
export function reasonLabel(id: ReasonId): string {
  return LABELS[id];
}

/**
 * Whether a string is one of the reason ids (for values read back from storage or a message).
 * @example isReasonId('housing') // true
 */
export function isReasonId(value: string): value is ReasonId {
  return (REASON_IDS as readonly string[]).includes(value);
}
