// The demo clinical record: a single-page web GP record. Choosing a patient from today's list replaces
// the banner and record in place without a page load, as web clinical systems do, so the extension
// has to follow the page as it changes (CONTRACT.md section 3).
// Every person here is fictional. The NHS numbers are in the 999 range, which is never issued, and
// pass the Modulus 11 check (tests/unit/demo.test.ts checks them with src/core/nhs-number.ts).

(() => {
  const patients = [
    {
      name: 'SMITH, Jane (Mrs)',
      listName: 'Jane Smith',
      appointment: '09:10',
      born: '12-Mar-1961',
      birthDate: '1961-03-12',
      gender: 'Female',
      nhsNumber: '9995260182',
      address: '4 Weavers Row, Stroud GL5 3JB',
      phone: '01453 000184',
      usualGp: 'Dr Amir Khan',
      alerts: ['Lives alone', 'Carer for husband (dementia)'],
      problems: [
        ['Jan 2024', 'Low mood'],
        ['Jun 2019', 'Type 2 diabetes mellitus'],
        ['Mar 2016', 'Osteoarthritis of knee'],
      ],
      medication: ['Metformin 500 mg tablets, one twice a day', 'Sertraline 50 mg tablets, one daily'],
      consultations: [
        [
          '28 Feb 2025',
          'Dr Amir Khan',
          'Feeling low since husband moved into a care home. Sleeping poorly, not going out much. Would like to meet people again; used to sing in a choir.',
        ],
        ['14 Jan 2025', 'Practice nurse', 'Diabetes review. HbA1c 54. Feet checked, no problems.'],
      ],
    },
    {
      name: 'OKAFOR, Grace Adaeze (Ms)',
      listName: 'Grace Okafor',
      appointment: '09:20',
      born: '02-Nov-1948',
      birthDate: '1948-11-02',
      gender: 'Female',
      nhsNumber: '9996502198',
      address: '12 Mill Lane, Stroud GL5 1AA',
      phone: '01453 000111',
      usualGp: 'Dr Amir Khan',
      alerts: ['Interpreter needed: Igbo', 'Large print letters'],
      problems: [
        ['Nov 2024', 'Bereavement'],
        ['Dec 2024', 'Falls, two this winter'],
        ['Apr 2012', 'Hypertension'],
      ],
      medication: ['Amlodipine 5 mg tablets, one daily'],
      consultations: [
        [
          '3 Mar 2025',
          'Dr Amir Khan',
          'Husband died in November. Lonely most days. Garden is important to her. Falls risk discussed.',
        ],
      ],
    },
    {
      name: 'PATEL, Ravi (Mr)',
      listName: 'Ravi Patel',
      appointment: '09:40',
      born: '23-Jul-1987',
      birthDate: '1987-07-23',
      gender: 'Male',
      nhsNumber: '9998022746',
      address: 'Flat 7, 30 Bath Road, Stroud GL5 3LW',
      phone: '07700 900412',
      usualGp: 'Dr Helen Price',
      alerts: [],
      problems: [
        ['Sep 2024', 'Work-related stress'],
        ['Sep 2024', 'Debt problems'],
      ],
      medication: [],
      consultations: [
        [
          '20 Feb 2025',
          'Dr Helen Price',
          'Off work for six weeks. Worried about rent arrears. Walks the dog daily; would like to get fitter.',
        ],
      ],
    },
    {
      name: 'DAVIES, Megan (Miss)',
      listName: 'Megan Davies',
      appointment: '10:00',
      born: '05-Jan-2002',
      birthDate: '2002-01-05',
      gender: 'Female',
      nhsNumber: '9994071130',
      address: '21 Church Street, Nailsworth GL6 0BP',
      phone: '07700 900733',
      usualGp: 'Dr Amir Khan',
      alerts: ['Young carer (mother)'],
      problems: [['Oct 2023', 'Anxiety']],
      medication: [],
      consultations: [
        [
          '10 Mar 2025',
          'Dr Amir Khan',
          'Left college to care for her mother. Feels isolated from friends. Interested in art and photography.',
        ],
      ],
    },
  ];

  const list = document.getElementById('patient-list');
  const banner = document.getElementById('patient-banner');
  const alerts = document.getElementById('alerts');
  const problems = document.getElementById('problems');
  const medication = document.getElementById('medication');
  const consultations = document.getElementById('consultations');
  const note = document.getElementById('consultation-note');
  const record = document.getElementById('record');
  const today = new Date();

  function ageInYears(birthDate) {
    const [year, month, day] = birthDate.split('-').map(Number);
    let age = today.getFullYear() - year;
    if (today.getMonth() + 1 < month || (today.getMonth() + 1 === month && today.getDate() < day)) age -= 1;
    return age;
  }

  // The way the NHS patient banner writes it: 999 526 0182.
  function spaced(nhsNumber) {
    return `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}`;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setField(name, value) {
    const field = banner.querySelector(`[data-field="${name}"]`);
    if (field) field.textContent = value;
  }

  function show(index) {
    const patient = patients[index];
    if (!patient) return;
    setField('name', patient.name);
    setField('born', `${patient.born} (${ageInYears(patient.birthDate)}y)`);
    setField('gender', patient.gender);
    setField('nhs', spaced(patient.nhsNumber));
    setField('address', patient.address);
    setField('phone', patient.phone);
    setField('usualGp', patient.usualGp);

    alerts.replaceChildren(...patient.alerts.map((alert) => element('li', 'alert', alert)));
    alerts.hidden = patient.alerts.length === 0;

    problems.replaceChildren(
      ...patient.problems.map(([since, problem]) => {
        const row = element('tr');
        row.append(element('td', '', since), element('td', '', problem));
        return row;
      }),
    );
    medication.replaceChildren(
      ...(patient.medication.length === 0
        ? [element('li', 'empty', 'No repeat medication')]
        : patient.medication.map((item) => element('li', '', item))),
    );
    consultations.replaceChildren(
      ...patient.consultations.map(([date, clinician, text]) => {
        const item = element('li');
        const heading = element('p', 'consultation-heading');
        heading.append(element('strong', '', date), document.createTextNode(` · ${clinician}`));
        item.append(heading, element('p', '', text));
        return item;
      }),
    );
    note.value = '';

    for (const [buttonIndex, button] of [...list.querySelectorAll('button')].entries()) {
      button.setAttribute('aria-current', buttonIndex === index ? 'true' : 'false');
    }
  }

  for (const [index, patient] of patients.entries()) {
    const item = element('li');
    const button = element('button', 'patient-button');
    button.type = 'button';
    button.append(
      element('span', 'appointment', patient.appointment),
      element('span', 'list-name', patient.listName),
      element('span', 'list-detail', `${ageInYears(patient.birthDate)} years · ${patient.gender}`),
    );
    button.addEventListener('click', () => {
      show(index);
      record.focus();
    });
    item.append(button);
    list.append(item);
  }

  show(0);
})();
