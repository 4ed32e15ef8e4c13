import * as z from 'zod/mini';
import { type ParsedFeed, type ReadOptions, readOfferFeed } from './feed-reader';
import { offerSchema } from './offer';

export {
  cleanText,
  type FeedFormat,
  type FeedPage,
  HOW_TO_JOIN_TAXONOMY,
  type ParsedFeed,
  pageAfter,
  pagesFrom,
  type ReadOptions,
  readOfferFeed,
} from './feed-reader';

// Field names follow HSDS 3.0 (https://docs.openreferral.org/en/latest/hsds/schema_reference.html) and its
// UK profile (https://github.com/OpenReferralUK/uk-profile); Open Referral UK 1.0 names
// (https://developers.openreferraluk.org/) are read where they differ. The reading is in feed-reader.ts.

/**
 * Reads an Open Referral UK feed (HSDS 3.0 page, array or single service; or an ORUK 1.0 page) into offers,
 * each checked against `offerSchema`. Never throws: services that do not fit are skipped with a problem,
 * inactive ones are counted and dropped.
 * @example parseOfferFeed({ contents: [{ id: '1', name: 'Walking group', status: 'active' }] }).offers[0]?.name
 * // 'Walking group'
 */
export function parseOfferFeed(json: unknown, options: Omit<ReadOptions, 'check'> = {}): ParsedFeed {
  return readOfferFeed(json, {
    ...options,
    check: (offer) => {
      const result = z.safeParse(offerSchema, offer);
      return result.success ? undefined : (result.error.issues[0]?.path.join('.') ?? '');
    },
  });
}
