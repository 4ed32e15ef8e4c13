// The inbox page: lists what the demo inbox received, refreshing every two seconds. Everything from a
// message is put on the page with textContent, never as markup: a referral is someone else's text.

(() => {
  const list = document.getElementById('referrals');
  const count = document.getElementById('count');
  const loadProblem = document.getElementById('load-problem');
  const failForm = document.getElementById('fail-form');
  const failStatus = document.getElementById('fail-status');
  const stopFailing = document.getElementById('stop-failing');
  const clear = document.getElementById('clear');
  let lastShown = '';

  const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
  const dateOnly = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: 'short', year: 'numeric' });

  /** `9995260182` as people read it: `999 526 0182`. */
  function spacedNhsNumber(value) {
    return /^\d{10}$/.test(value) ? `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6)}` : value;
  }

  function when(iso, format) {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : format.format(date);
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function bulletList(items) {
    const ul = element('ul');
    for (const item of items) ul.append(element('li', '', item));
    return ul;
  }

  /** One row of the details list; `value` is text or a node. */
  function detail(dl, term, value) {
    if (value === null || value === undefined || value === '') return;
    if (Array.isArray(value) && value.length === 0) return;
    const row = element('div', 'row');
    row.append(element('dt', '', term));
    const dd = element('dd');
    if (Array.isArray(value)) dd.append(bulletList(value));
    else if (typeof value === 'string') dd.textContent = value;
    else dd.append(value);
    row.append(dd);
    dl.append(row);
  }

  function consentText(consent) {
    if (!consent) return 'Not recorded in the message';
    const given = consent.status === 'active' ? 'Given' : `Status: ${consent.status ?? 'unknown'}`;
    return consent.dateTime ? `${given}, ${when(consent.dateTime, dateTime)}` : given;
  }

  function attemptsText(referral) {
    const extras = [];
    if (referral.unavailableAnswers > 0) extras.push(`${referral.unavailableAnswers} answered 503 first`);
    if (referral.repeats > 0) {
      extras.push(
        `${referral.repeats} ${referral.repeats === 1 ? 'repeat' : 'repeats'} given the same answer`,
      );
    }
    return extras.length === 0 ? `${referral.attempts}` : `${referral.attempts} (${extras.join('; ')})`;
  }

  function capitalised(text) {
    return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  }

  function render(referral) {
    const summary = referral.summary ?? {};
    const article = element('article', `referral ${referral.accepted ? 'accepted' : 'refused'}`);
    const heading = element('h3', '', summary.patientName ?? 'Message that could not be read');
    article.append(heading);
    article.append(
      element(
        'p',
        `tag ${referral.accepted ? 'tag-accepted' : 'tag-refused'}`,
        referral.accepted ? 'Accepted' : `Refused (${referral.status})`,
      ),
    );
    const dl = element('dl');
    detail(dl, 'NHS number', summary.nhsNumber ? spacedNhsNumber(summary.nhsNumber) : null);
    detail(dl, 'Born', summary.birthDate ? when(summary.birthDate, dateOnly) : null);
    detail(dl, 'Reasons', summary.reasons ?? []);
    detail(dl, 'What matters to them', summary.whatMatters);
    detail(dl, 'Consent', referral.summary ? consentText(summary.consent) : null);
    detail(dl, 'Suggested offers', summary.suggestedOffers ?? []);
    detail(dl, 'Other notes', summary.otherNotes ?? []);
    detail(dl, 'Priority', capitalised(summary.priority));
    const from = [
      summary.requester,
      summary.practice,
      summary.practiceOdsCode && `ODS ${summary.practiceOdsCode}`,
    ]
      .filter(Boolean)
      .join(', ');
    detail(dl, 'Referred by', from);
    detail(dl, 'Referred to', summary.linkWorker);
    detail(dl, 'Received', when(referral.receivedAt, dateTime));
    detail(dl, 'Attempts', attemptsText(referral));
    const validation =
      referral.problems.length === 0
        ? referral.warnings.length === 0
          ? 'Valid FHIR R4 message'
          : ['Valid FHIR R4 message, with warnings:', ...referral.warnings]
        : referral.problems;
    detail(dl, 'Validation', validation);
    detail(dl, 'Request id', referral.requestId);
    article.append(dl);
    return article;
  }

  function show(state) {
    const shown = JSON.stringify(state);
    if (shown === lastShown) return;
    lastShown = shown;
    const referrals = state.referrals;
    const accepted = referrals.filter((referral) => referral.accepted).length;
    count.textContent =
      referrals.length === 0
        ? 'Nothing received yet. Send a referral from the demo record.'
        : `${accepted} ${accepted === 1 ? 'referral' : 'referrals'} received` +
          (referrals.length > accepted ? `, ${referrals.length - accepted} refused` : '');
    list.replaceChildren(...referrals.map(render));
    const { remaining, retryAfterSeconds } = state.failNext;
    failStatus.textContent =
      remaining === 0
        ? 'Answering normally.'
        : `The next ${remaining === 1 ? 'request' : `${remaining} requests`} will be answered 503 with Retry-After: ${retryAfterSeconds} seconds.`;
  }

  async function refresh() {
    try {
      const response = await fetch('/api/referrals', { cache: 'no-store' });
      if (!response.ok) throw new Error(String(response.status));
      show(await response.json());
      loadProblem.hidden = true;
    } catch {
      loadProblem.textContent = 'The inbox server is not answering. Is `npm start` still running?';
      loadProblem.hidden = false;
    }
  }

  async function post(path, body) {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) failStatus.textContent = await response.text();
    await refresh();
  }

  failForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(failForm);
    void post('/api/fail-next', {
      count: Number(form.get('count')),
      retryAfterSeconds: Number(form.get('retryAfterSeconds')),
    });
  });
  stopFailing.addEventListener('click', () => void post('/api/fail-next', { count: 0 }));
  clear.addEventListener('click', () => void post('/api/clear', {}));

  void refresh();
  setInterval(refresh, 2000);
})();
