import { isCalendarSchedule, JOIN_WORDS } from '../core/calendar-file';
import type { Offer } from '../core/offer';
import { safeLinkUrl } from '../core/offer-fields';
import { dateText, scheduleText } from '../core/schedule-text';

/** Descriptions longer than this start folded, showing their first sentence or so. */
const SHORT = 180;

export interface OfferCardProps {
  offer: Offer;
  /** The heading level of the offer's name (default 3). */
  level?: 2 | 3 | 4;
  /** Today, `YYYY-MM-DD`: dates in its year are written without it, and ended schedules are not offered. */
  today?: string;
  /** Shown as "Add to calendar" for offers whose schedule can go in a calendar and has not ended. */
  onAddToCalendar?: ((offer: Offer) => void) | undefined;
  /** Set when "Add to calendar" could not make a file: the card says so beside the button. */
  calendarFailed?: boolean;
}

/** A link only for safe schemes (CONTRACT.md section 5); otherwise the words alone. */
function Link({ href, children }: { href: string | undefined; children: string }) {
  const url = href && safeLinkUrl(href);
  return url ? <a href={url}>{children}</a> : children;
}

function ages(min: number | undefined, max: number | undefined): string | undefined {
  if (min !== undefined && max !== undefined) return `Ages ${min} to ${max}`;
  if (min !== undefined) return `Ages ${min} and over`;
  return max === undefined ? undefined : `Ages up to ${max}`;
}

/** Where to fold a long text: the last word boundary before SHORT characters. */
function foldAt(text: string): number {
  const space = text.lastIndexOf(' ', SHORT);
  return space > 100 ? space : SHORT;
}

/**
 * One offer, everything a person needs to decide and join: what, who runs it, when, where, cost, who it is
 * for, how to join, and whether it is quality assured. Feed text is rendered as text only.
 */
export function OfferCard({ offer, level = 3, today = '', onAddToCalendar, calendarFailed }: OfferCardProps) {
  const { organisation, description, place, cost, eligibility, contact, qualityAssured } = offer;
  const Heading = `h${level}` as 'h3';
  const year = Number(today.slice(0, 4)) || undefined;
  const calendar = onAddToCalendar && offer.schedules.some((schedule) => isCalendarSchedule(schedule, today));
  const fold = description && description.length > SHORT + 20 ? foldAt(description) : 0;
  // One full stop between the feed's words and the ages, whether or not the feed ended with one.
  const who = [eligibility?.text?.replace(/\.$/, ''), ages(eligibility?.minAge, eligibility?.maxAge)]
    .filter(Boolean)
    .join('. ');
  const phone = contact?.phone;
  const row = (term: string, value: unknown) =>
    value ? (
      <div>
        <dt>{term}</dt>
        <dd>{value}</dd>
      </div>
    ) : null;
  return (
    <article class="lw-offer">
      {/* Focusable by script only: the list moves focus here when it shows more offers. */}
      <Heading class="lw-name" tabIndex={-1}>
        {offer.name}
      </Heading>
      {qualityAssured && (
        <p class="lw-assured">
          <span aria-hidden="true">✓ </span>Quality assured
          <span class="lw-muted"> (checked {dateText(qualityAssured.assuredDate, year)})</span>
        </p>
      )}
      {organisation && (
        <p class="lw-org">
          <Link href={organisation.url}>{organisation.name}</Link>
        </p>
      )}
      {offer.categories.length > 0 && <p class="lw-tags">{offer.categories.join(' · ')}</p>}
      {description && (
        <p class={fold ? 'lw-fold' : 'lw-desc'}>{fold ? `${description.slice(0, fold)}…` : description}</p>
      )}
      {fold > 0 && (
        <>
          {/* Native disclosure: keyboard and screen reader support without script state. */}
          <details class="lw-fold">
            {/* The name in the accessible name tells this "Read more" from the others in a list of links. */}
            <summary class="lw-link" aria-label={`Read more about ${offer.name}`}>
              Read more
            </summary>
            <p>…{description?.slice(fold)}</p>
          </details>
          {/* Paper cannot be unfolded: print shows the whole description instead of the folded one. */}
          <p class="lw-print">{description}</p>
        </>
      )}
      <dl>
        {row(
          'When',
          offer.schedules.length > 0 &&
            offer.schedules.map((schedule) => (
              <span class="lw-line">{scheduleText(schedule, { year })}</span>
            )),
        )}
        {row(
          'Where',
          place && (
            <>
              <span class="lw-line">
                {[place.name, ...place.address, place.postcode].filter(Boolean).join(', ')}
              </span>
              {place.accessibility.map((note) => (
                <span class="lw-line lw-muted">{note}</span>
              ))}
            </>
          ),
        )}
        {row('Cost', cost && (cost.text ?? (cost.free ? 'Free' : undefined)))}
        {row('Who it is for', who)}
        {row(
          'How to join',
          (offer.howToJoin.length > 0 || offer.applicationProcess || contact) && (
            <>
              {offer.howToJoin.length > 0 && (
                <span class="lw-line">{offer.howToJoin.map((way) => JOIN_WORDS[way]).join(', ')}</span>
              )}
              {offer.applicationProcess && <span class="lw-line">{offer.applicationProcess}</span>}
              {contact?.phone && (
                <span class="lw-line">
                  Phone <Link href={phone && `tel:${phone.replace(/[^\d+]/g, '')}`}>{contact.phone}</Link>
                </span>
              )}
              {contact?.email && (
                <span class="lw-line">
                  Email <Link href={`mailto:${contact.email}`}>{contact.email}</Link>
                </span>
              )}
              {contact?.url && (
                <span class="lw-line">
                  <Link href={contact.url}>Contact page</Link>
                </span>
              )}
            </>
          ),
        )}
      </dl>
      {(offer.url || calendar) && (
        <p class="lw-actions">
          {offer.url && <Link href={offer.url}>{`More about ${offer.name}`}</Link>}
          {calendar && (
            <button
              type="button"
              class="lw-button"
              aria-label={`Add to calendar: ${offer.name}`}
              onClick={() => onAddToCalendar(offer)}
            >
              Add to calendar
            </button>
          )}
        </p>
      )}
      {calendarFailed && (
        <p class="lw-alert" role="alert">
          Sorry, the calendar file could not be made. Please note the times above.
        </p>
      )}
    </article>
  );
}
