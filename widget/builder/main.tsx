import { type HTMLAttributes, render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { JOIN_WORDS } from '../../src/core/calendar-file';
import { HOW_TO_JOIN } from '../../src/core/offer';
import { parseOfferFeed } from '../../src/core/open-referral';
import { DAY_CODES, DAY_NAMES, scheduleText } from '../../src/core/schedule-text';
import {
  type Draft,
  type DraftProblem,
  draftToFeed,
  draftToOffers,
  embedSnippet,
  emptyDraft,
  emptyOffer,
  feedToDraft,
  hasWork,
  isBlank,
  type OfferDraft,
  REPEATS,
  type Repeat,
} from './draft';

// The offer builder: a museum volunteer fills in a form, sees the real widget update beside it, then
// downloads offers.json and copies the two lines for their website. Everything stays in this browser.

const SAVED = 'linkwell-builder-draft';

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
      'linkwell-offers': HTMLAttributes<HTMLElement> & { heading?: string; src?: string; category?: string };
    }
  }
}

/** The draft saved in this browser last time, if it still reads as one. */
function savedDraft(): Draft | undefined {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(SAVED) ?? 'null');
    if (!saved || typeof saved !== 'object' || !Array.isArray((saved as Draft).offers)) return undefined;
    const fresh = emptyDraft();
    const draft = saved as Partial<Draft>;
    return {
      ...fresh,
      ...Object.fromEntries(
        Object.entries(draft).filter(([key, value]) => typeof value === typeof fresh[key as keyof Draft]),
      ),
      // Drafts kept by an older builder lack the newer fields: those start empty.
      offers: (draft.offers ?? []).map((offer, i) => ({ ...emptyOffer(`offer-${i + 1}`), ...offer })),
    };
  } catch {
    return undefined; // storage blocked (some file:// setups) or damaged: start afresh
  }
}

function save(filename: string, text: string, type: string) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

interface FieldProps {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  value: string;
  onInput: (value: string) => void;
  type?: 'text' | 'email' | 'tel' | 'url' | 'number' | 'date' | 'time';
  multiline?: boolean;
  required?: boolean;
  autocomplete?: string;
}

function Field({
  id,
  label,
  hint,
  error,
  value,
  onInput,
  type = 'text',
  multiline,
  required,
  autocomplete,
}: FieldProps) {
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const input = (event: Event) => onInput((event.currentTarget as HTMLInputElement).value);
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      )}
      {multiline ? (
        <textarea
          rows={3}
          id={id}
          value={value}
          aria-describedby={described}
          aria-invalid={error ? true : undefined}
          required={required}
          onInput={input}
        />
      ) : (
        <input
          id={id}
          // Preact types each input `type` with its own attributes; this one component serves several.
          type={type as 'text'}
          value={value}
          aria-describedby={described}
          aria-invalid={error ? true : undefined}
          required={required}
          autocomplete={autocomplete}
          onInput={input}
        />
      )}
    </div>
  );
}

function OfferForm({
  offer,
  index,
  count,
  problems,
  onChange,
  onRemove,
}: {
  offer: OfferDraft;
  index: number;
  count: number;
  problems: DraftProblem[];
  onChange: (offer: OfferDraft) => void;
  onRemove: () => void;
}) {
  const id = (field: string) => `${offer.key}-${field}`;
  const errorOf = (field: keyof OfferDraft) => problems.find((p) => p.field === field)?.message;
  const text = (field: keyof OfferDraft, label: string, extra: Partial<FieldProps> = {}) => (
    <Field
      id={id(field)}
      label={label}
      value={String(offer[field])}
      error={errorOf(field)}
      onInput={(value) => onChange({ ...offer, [field]: value })}
      {...extra}
    />
  );
  const toggle = <T extends string>(list: T[], item: T, on: boolean) =>
    on ? [...list, item] : list.filter((entry) => entry !== item);
  return (
    <section class="offer-form" aria-labelledby={id('title')}>
      <h3 id={id('title')}>
        Offer {index + 1}
        {offer.name.trim() ? `: ${offer.name.trim()}` : ''}
      </h3>
      {text('name', 'Name of the activity', { required: true, hint: 'For example: Objects and Memories' })}
      {text('description', 'What happens, and who would enjoy it', { multiline: true })}
      {text('categories', 'Categories', {
        hint: 'Separate with commas, for example: Arts and creativity, Heritage',
      })}
      <fieldset>
        <legend>Who runs it</legend>
        <p class="hint">Leave these empty if it is your organisation (above).</p>
        {text('organisation', 'Organisation running it')}
        {text('website', 'Their website', { type: 'url' })}
      </fieldset>
      <fieldset>
        <legend>When</legend>
        <fieldset class="days">
          <legend class="sub">Days</legend>
          {DAY_CODES.map((code, i) => (
            <label class="check" key={code}>
              <input
                type="checkbox"
                checked={offer.days.includes(code)}
                onChange={(event) =>
                  onChange({ ...offer, days: toggle(offer.days, code, event.currentTarget.checked) })
                }
              />
              {DAY_NAMES[i]}
            </label>
          ))}
        </fieldset>
        <div class="field">
          <label for={id('repeat')}>How often</label>
          <select
            id={id('repeat')}
            value={offer.repeat}
            onChange={(event) => onChange({ ...offer, repeat: event.currentTarget.value as Repeat })}
          >
            {REPEATS.map(([value, label]) => (
              <option value={value}>{label}</option>
            ))}
          </select>
        </div>
        <div class="row">
          {text('opensAt', 'Starts at', { type: 'time' })}
          {text('closesAt', 'Ends at', { type: 'time' })}
        </div>
        <div class="row">
          {text('validFrom', 'First date', { type: 'date' })}
          {text('validTo', 'Last date', { type: 'date' })}
        </div>
        {text('scheduleNote', 'Anything else about when', { hint: 'For example: term time only' })}
        {offer.keptSchedules.length > 0 && (
          <div class="kept">
            <p>
              {offer.days.length || offer.opensAt ? 'Also' : 'When'}, from the file you opened (this form
              cannot change these times, so they are kept as they are):
            </p>
            <ul>
              {offer.keptSchedules.map((schedule) => (
                <li>{scheduleText(schedule, { year: new Date().getFullYear() })}</li>
              ))}
            </ul>
          </div>
        )}
      </fieldset>
      <fieldset>
        <legend>Where</legend>
        {text('placeName', 'Place')}
        {text('address', 'Address', { multiline: true, hint: 'One line each: street, town, county' })}
        {text('postcode', 'Postcode', { autocomplete: 'off' })}
        {text('accessibility', 'Access notes', {
          multiline: true,
          hint: 'One per line, for example: Step-free entrance',
        })}
      </fieldset>
      <fieldset>
        <legend>Cost and who it is for</legend>
        <label class="check">
          <input
            type="checkbox"
            checked={offer.free}
            onChange={(event) => onChange({ ...offer, free: event.currentTarget.checked })}
          />
          It is free
        </label>
        {text('costText', 'Cost in words', { hint: 'For example: £3 a session, concessions £1' })}
        {text('eligibility', 'Who it is for', { hint: 'For example: adults who feel lonely or low' })}
        <div class="row">
          {text('minAge', 'Youngest age', { type: 'number' })}
          {text('maxAge', 'Oldest age', { type: 'number' })}
        </div>
      </fieldset>
      <fieldset>
        <legend>How to join</legend>
        <fieldset class="days">
          <legend class="sub">People can join</legend>
          {HOW_TO_JOIN.map((way) => (
            <label class="check" key={way}>
              <input
                type="checkbox"
                checked={offer.howToJoin.includes(way)}
                onChange={(event) =>
                  onChange({ ...offer, howToJoin: toggle(offer.howToJoin, way, event.currentTarget.checked) })
                }
              />
              {JOIN_WORDS[way]}
            </label>
          ))}
        </fieldset>
        {text('applicationProcess', 'How to join, in words', { multiline: true })}
        {text('email', 'Email', { type: 'email', autocomplete: 'off' })}
        {text('phone', 'Phone', { type: 'tel', autocomplete: 'off' })}
        {text('url', 'Web page about this activity', { type: 'url' })}
        {text('contactUrl', 'Contact page', {
          type: 'url',
          hint: 'A web page where people can get in touch',
        })}
        {text('assuredDate', 'Quality assured on', {
          type: 'date',
          hint: 'Only if a local quality assurance scheme has checked this activity',
        })}
        {text('assurer', 'Checked by', { hint: 'The email address of the quality assurance scheme' })}
      </fieldset>
      {count > 1 && (
        <button type="button" class="secondary" onClick={onRemove}>
          Remove offer {index + 1}
          {offer.name.trim() ? `: ${offer.name.trim()}` : ''}
        </button>
      )}
    </section>
  );
}

/** A question before something that would lose the volunteer's work: opening a file, or starting again. */
interface Question {
  text: string;
  yes: string;
  onYes: () => void;
}

function Builder() {
  const [draft, setDraft] = useState<Draft>(() => savedDraft() ?? emptyDraft());
  const [status, setStatus] = useState('');
  const [question, setQuestion] = useState<Question>();
  /** What opening a file left out, said until the next file or a fresh start. */
  const [notes, setNotes] = useState<string[]>([]);
  /** The problems that stopped a download, listed above the button. */
  const [blocking, setBlocking] = useState<{ text: string; field: string }[]>([]);
  const next = useRef(draft.offers.length + 1);
  const snippetBox = useRef<HTMLTextAreaElement>(null);
  const questionBox = useRef<HTMLDivElement>(null);
  const summaryBox = useRef<HTMLDivElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const nextKey = () => `offer-${next.current++}`;
  useEffect(() => {
    if (question) questionBox.current?.focus();
  }, [question]);
  useEffect(() => {
    if (blocking.length) summaryBox.current?.focus();
  }, [blocking]);
  useEffect(() => {
    try {
      localStorage.setItem(SAVED, JSON.stringify(draft));
    } catch {
      // Storage full or blocked: the form still works, it just is not kept.
    }
  }, [draft]);
  const { problems } = useMemo(() => draftToOffers(draft), [draft]);
  const feed = useMemo(() => draftToFeed(draft), [draft]);
  const snippet = embedSnippet(draft);
  // A blank offer is not wrong yet: its missing name is only said once something is filled in.
  const shown = problems.filter(
    (problem) => problem.field !== 'name' || !isBlank(draft.offers[problem.offer] ?? emptyOffer('')),
  );
  const fieldId = (problem: DraftProblem) => `${draft.offers[problem.offer]?.key}-${problem.field}`;
  const set = (change: Partial<Draft>) => setDraft({ ...draft, ...change });
  const setOffer = (index: number, offer: OfferDraft) =>
    set({ offers: draft.offers.map((entry, i) => (i === index ? offer : entry)) });

  /** Asks first when there is work the action would lose. */
  const unlessWork = (ask: Question) => {
    if (hasWork(draft)) setQuestion(ask);
    else ask.onYes();
  };

  const open = async (file: File | undefined) => {
    if (!file) return;
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch {
      setStatus(`${file.name} is not a JSON file.`);
      return;
    } finally {
      // The same file can be chosen again (after "Keep my offers", say).
      if (fileInput.current) fileInput.current.value = '';
    }
    const parsed = parseOfferFeed(json);
    if (!parsed.offers.length) {
      setStatus(`No offers could be read from ${file.name}.`);
      setNotes(parsed.problems);
      return;
    }
    const count = parsed.offers.length === 1 ? '1 offer' : `${parsed.offers.length} offers`;
    unlessWork({
      text: `Opening ${file.name} replaces everything in this form with its ${count}. Your changes here are lost unless you download them first.`,
      yes: `Open ${file.name}`,
      onYes: () => {
        const opened = feedToDraft(parsed, draft, nextKey);
        setQuestion(undefined);
        setBlocking([]);
        setDraft(opened.draft);
        setNotes(opened.notes);
        setStatus(`Opened ${count} from ${file.name}.`);
      },
    });
  };

  const startAgain = () =>
    unlessWork({
      text: 'Starting again clears this form and what this browser kept of it. Download offers.json first if you want to keep your offers.',
      yes: 'Clear everything',
      onYes: () => {
        setQuestion(undefined);
        setBlocking([]);
        setNotes([]);
        setDraft(emptyDraft());
        setStatus('The form is empty. Nothing is kept in this browser until you type again.');
      },
    });

  const download = () => {
    // Nothing is downloaded with a problem in it: a wrong email or web address would be silently left out.
    const named = draft.offers.findIndex((offer) => !isBlank(offer));
    const stopping = shown.length
      ? shown.map((problem) => ({
          text: `Offer ${problem.offer + 1}${draft.offers[problem.offer]?.name.trim() ? ` (${draft.offers[problem.offer]?.name.trim()})` : ''}: ${problem.message}`,
          field: fieldId(problem),
        }))
      : feed.offers
        ? []
        : [
            {
              text: 'Give at least one offer a name.',
              field: `${draft.offers[Math.max(named, 0)]?.key}-name`,
            },
          ];
    setBlocking(stopping);
    if (stopping.length) {
      setStatus('');
      return;
    }
    save('offers.json', feed.json, 'application/json');
    setStatus('offers.json is downloaded.');
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(snippet);
      setStatus('The embed code is copied. Paste it into your website.');
    } catch {
      snippetBox.current?.select();
      setStatus('Select and copy the embed code with Ctrl+C (Cmd+C on a Mac).');
    }
  };

  return (
    <>
      <div class="form-column">
        <section aria-labelledby="org-title">
          <h2 id="org-title">1. Your organisation</h2>
          <Field
            id="organisation"
            label="Organisation name"
            value={draft.organisation}
            onInput={(organisation) => set({ organisation })}
            autocomplete="organization"
          />
          <Field
            id="website"
            label="Website"
            type="url"
            value={draft.website}
            onInput={(website) => set({ website })}
            autocomplete="url"
          />
          <div class="field">
            <label for="open-feed">Open an existing offers.json (optional)</label>
            <input
              id="open-feed"
              ref={fileInput}
              type="file"
              accept=".json,application/json"
              onChange={(event) => open(event.currentTarget.files?.[0])}
            />
          </div>
          {question && (
            <div
              class="question"
              role="alertdialog"
              aria-labelledby="question-text"
              tabIndex={-1}
              ref={questionBox}
            >
              <p id="question-text">{question.text}</p>
              <button type="button" onClick={question.onYes}>
                {question.yes}
              </button>
              <button
                type="button"
                class="secondary"
                onClick={() => {
                  setQuestion(undefined);
                  setStatus('Nothing was changed.');
                }}
              >
                Keep my offers
              </button>
            </div>
          )}
          {notes.length > 0 && (
            <div class="notes" role="status">
              {notes.map((note) => (
                <p>{note}</p>
              ))}
            </div>
          )}
          <button type="button" class="secondary" onClick={startAgain}>
            Start again
          </button>
        </section>
        <section aria-labelledby="offers-title">
          <h2 id="offers-title">2. Your offers</h2>
          {draft.offers.map((offer, index) => (
            <OfferForm
              key={offer.key}
              offer={offer}
              index={index}
              count={draft.offers.length}
              problems={shown.filter((problem) => problem.offer === index)}
              onChange={(changed) => setOffer(index, changed)}
              onRemove={() => set({ offers: draft.offers.filter((_, i) => i !== index) })}
            />
          ))}
          <button
            type="button"
            class="secondary"
            onClick={() => set({ offers: [...draft.offers, emptyOffer(`offer-${next.current++}`)] })}
          >
            Add another offer
          </button>
        </section>
        <section aria-labelledby="publish-title">
          <h2 id="publish-title">3. Put it on your website</h2>
          <p>
            Download the file and put it on your website, then paste the code where the list should appear.
          </p>
          <p>
            Put <code>linkwell-offers.js</code> on your website too. It is in the same folder as this page
            (builder.html), in the Linkwell release you were given by your GP practice or social prescribing
            team.
          </p>
          <p class="summary">
            {feed.offers === 1 ? '1 offer' : `${feed.offers} offers`} ready
            {shown.length ? `; ${shown.length} to fix above` : ''}.
          </p>
          {blocking.length > 0 && (
            <div
              class="error-summary"
              role="alert"
              aria-labelledby="error-summary-title"
              tabIndex={-1}
              ref={summaryBox}
            >
              <h3 id="error-summary-title">Fix these first: offers.json is not downloaded yet</h3>
              <ul>
                {blocking.map((problem) => (
                  <li>
                    <a href={`#${problem.field}`}>{problem.text}</a>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <button type="button" onClick={download}>
            Download offers.json
          </button>
          <Field
            id="feed-url"
            label="Where offers.json will be on your website"
            value={draft.feedUrl}
            onInput={(feedUrl) => set({ feedUrl })}
            hint="For example: /offers.json or https://yourmuseum.org/offers.json"
          />
          <Field
            id="script-url"
            label="Where linkwell-offers.js will be on your website"
            value={draft.scriptUrl}
            onInput={(scriptUrl) => set({ scriptUrl })}
          />
          <Field
            id="heading"
            label="Heading above the list"
            value={draft.heading}
            onInput={(heading) => set({ heading })}
          />
          <div class="field">
            <label for="snippet">Embed code</label>
            <textarea id="snippet" ref={snippetBox} readOnly rows={3} value={snippet} />
          </div>
          <button type="button" onClick={copy}>
            Copy embed code
          </button>
          <p class="status" role="status">
            {status}
          </p>
        </section>
      </div>
      <section class="preview-column" aria-labelledby="preview-title">
        <h2 id="preview-title">Preview</h2>
        <p class="hint">This is the real widget, showing the file you are about to download.</p>

        <div class="preview">
          <linkwell-offers heading={draft.heading.trim()}>
            <script type="application/json">{feed.json}</script>
          </linkwell-offers>
        </div>
      </section>
    </>
  );
}

const root = document.getElementById('builder');
if (root) {
  // Preact renders beside what is there: the "Loading the form…" placeholder goes first.
  root.replaceChildren();
  render(<Builder />, root);
}
