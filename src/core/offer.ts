import './zod-config';
import * as z from 'zod/mini';
import { DAY_CODE, EMAIL, HOW_TO_JOIN, isCalendarDate, safeLinkUrl } from './offer-fields';

export type { HowToJoin } from './offer-fields';
export { DAY_CODE, EMAIL, HOW_TO_JOIN, isCalendarDate, safeLinkUrl };

const text = () => z.string().check(z.minLength(1));
const link = () => z.string().check(z.refine((url) => safeLinkUrl(url) === url, 'must be a safe link'));
const isoDate = () => z.string().check(z.refine(isCalendarDate, 'must be a real date, YYYY-MM-DD'));
const clockTime = () => z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/));
const age = () => z.number().check(z.nonnegative(), z.lte(150));

/** When an offer runs: the structured recurrence HSDS 3.0 uses, from iCalendar RRULE parts. */
export const scheduleSchema = z.object({
  byDay: z.optional(z.array(z.string().check(z.regex(DAY_CODE)))),
  opensAt: z.optional(clockTime()),
  closesAt: z.optional(clockTime()),
  validFrom: z.optional(isoDate()),
  validTo: z.optional(isoDate()),
  freq: z.optional(z.enum(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'])),
  interval: z.optional(z.int().check(z.positive())),
  description: z.optional(text()),
});
export type Schedule = z.infer<typeof scheduleSchema>;

/** A social prescription offer as the widget and the referral panel show it. Plain data: text is text. */
export const offerSchema = z.object({
  id: text(),
  name: text(),
  organisation: z.optional(z.object({ name: text(), url: z.optional(link()) })),
  description: z.optional(text()),
  categories: z.array(text()),
  place: z.optional(
    z.object({
      name: z.optional(text()),
      address: z.array(text()),
      postcode: z.optional(text()),
      accessibility: z.array(text()),
    }),
  ),
  schedules: z.array(scheduleSchema),
  cost: z.optional(z.object({ free: z.optional(z.boolean()), text: z.optional(text()) })),
  eligibility: z.optional(
    z.object({ text: z.optional(text()), minAge: z.optional(age()), maxAge: z.optional(age()) }),
  ),
  howToJoin: z.array(z.enum(HOW_TO_JOIN)),
  applicationProcess: z.optional(text()),
  contact: z.optional(
    z.object({
      email: z.optional(z.string().check(z.regex(EMAIL))),
      phone: z.optional(text()),
      url: z.optional(link()),
    }),
  ),
  url: z.optional(link()),
  qualityAssured: z.optional(z.object({ assuredDate: isoDate(), assurer: z.optional(text()) })),
  status: z.literal('active'),
});
export type Offer = z.infer<typeof offerSchema>;
