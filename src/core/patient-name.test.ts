import { describe, expect, it } from 'vitest';
import { displayPatientName, parsePatientName } from './patient-name';

describe('parsePatientName: NHS banner form', () => {
  it('reads family, given and title', () => {
    expect(parsePatientName('SMITH, Jane (Mrs)')).toEqual({
      family: 'SMITH',
      given: ['Jane'],
      prefix: 'Mrs',
      text: 'SMITH, Jane (Mrs)',
    });
  });

  it('reads middle names in order', () => {
    expect(parsePatientName('SMITH, Jane Ann Marie (Mrs)')?.given).toEqual(['Jane', 'Ann', 'Marie']);
  });

  it('reads a name without a title', () => {
    expect(parsePatientName('SMITH, Jane')).toEqual({
      family: 'SMITH',
      given: ['Jane'],
      text: 'SMITH, Jane',
    });
  });

  it('keeps a two-word family name whole', () => {
    expect(parsePatientName('EVANS WEST, Jonathan (Sir)')?.family).toBe('EVANS WEST');
  });

  it('keeps hyphens and apostrophes', () => {
    expect(parsePatientName("O'NEIL-JONES, Mary-Kate (Ms)")).toMatchObject({
      family: "O'NEIL-JONES",
      given: ['Mary-Kate'],
    });
  });

  it('drops the trailing full stop of a title', () => {
    expect(parsePatientName('SMITH, John (Mr.)')?.prefix).toBe('Mr');
  });

  it('puts a title written in capitals into title case', () => {
    expect(parsePatientName('SMITH, John (MR)')?.prefix).toBe('Mr');
  });

  it('tidies extra spaces', () => {
    expect(parsePatientName('  SMITH ,   Jane   (Mrs) ')).toEqual({
      family: 'SMITH',
      given: ['Jane'],
      prefix: 'Mrs',
      text: 'SMITH , Jane (Mrs)',
    });
  });

  it('leaves out empty brackets', () => {
    expect(parsePatientName('SMITH, Jane ()')).toEqual({
      family: 'SMITH',
      given: ['Jane'],
      text: 'SMITH, Jane ()',
    });
  });

  it('reads letters beyond English', () => {
    expect(parsePatientName('ŻÓŁKOWSKA, Zoë (Ms)')).toMatchObject({ family: 'ŻÓŁKOWSKA', given: ['Zoë'] });
  });
});

describe('parsePatientName: plain form', () => {
  it('reads given then family', () => {
    expect(parsePatientName('Jane Smith')).toEqual({ family: 'Smith', given: ['Jane'], text: 'Jane Smith' });
  });

  it('reads middle names', () => {
    expect(parsePatientName('Jane Ann Smith')?.given).toEqual(['Jane', 'Ann']);
  });

  it('reads a leading title', () => {
    expect(parsePatientName('Mrs Jane Smith')).toEqual({
      family: 'Smith',
      given: ['Jane'],
      prefix: 'Mrs',
      text: 'Mrs Jane Smith',
    });
  });

  it('reads a leading title with a full stop', () => {
    expect(parsePatientName('Dr. Amir Khan')?.prefix).toBe('Dr');
  });

  it('reads a bracketed title at the end', () => {
    expect(parsePatientName('Jane Smith (Mrs)')).toMatchObject({
      family: 'Smith',
      given: ['Jane'],
      prefix: 'Mrs',
    });
  });

  it('keeps a family-name particle with the family name', () => {
    expect(parsePatientName('Vincent van Gogh')).toMatchObject({ family: 'van Gogh', given: ['Vincent'] });
  });

  it('reads a single word as the family name', () => {
    expect(parsePatientName('Smith')).toEqual({ family: 'Smith', given: [], text: 'Smith' });
  });

  it('does not take a lone title word as a title', () => {
    expect(parsePatientName('Miss')).toEqual({ family: 'Miss', given: [], text: 'Miss' });
  });
});

describe('parsePatientName: not a name', () => {
  it('refuses empty text', () => {
    expect(parsePatientName('   ')).toBeUndefined();
  });

  it('refuses digits', () => {
    expect(parsePatientName('943 476 5919')).toBeUndefined();
  });

  it('refuses markup', () => {
    expect(parsePatientName('<b>Smith</b>')).toBeUndefined();
  });

  it('refuses a family name of punctuation only', () => {
    expect(parsePatientName('-, Jane')).toBeUndefined();
  });

  it('refuses two commas', () => {
    expect(parsePatientName('SMITH, Jane, Ann')).toBeUndefined();
  });

  it('refuses a title with no name', () => {
    expect(parsePatientName('(Mrs)')).toBeUndefined();
  });

  it('refuses very long text', () => {
    expect(parsePatientName('a'.repeat(201))).toBeUndefined();
  });
});

describe('displayPatientName', () => {
  it('shows banner form with the family name in capitals', () => {
    expect(displayPatientName({ family: 'Smith', given: ['Jane'], prefix: 'Mrs' })).toBe('SMITH, Jane (Mrs)');
  });

  it('shows middle names after the given name', () => {
    expect(displayPatientName({ family: 'Smith', given: ['Jane', 'Ann'] })).toBe('SMITH, Jane Ann');
  });

  it('puts given names written in capitals into title case', () => {
    expect(displayPatientName({ family: 'SMITH', given: ['MARY-JANE'] })).toBe('SMITH, Mary-Jane');
  });

  it('keeps the mixed case of given names as written', () => {
    expect(displayPatientName({ family: 'Smith', given: ['DeShawn'] })).toBe('SMITH, DeShawn');
  });

  it('shows a family name alone', () => {
    expect(displayPatientName({ family: 'Smith', given: [] })).toBe('SMITH');
  });

  it('shows a title without its full stop', () => {
    expect(displayPatientName({ family: 'Khan', given: ['Amir'], prefix: 'Dr.' })).toBe('KHAN, Amir (Dr)');
  });

  it('round-trips a parsed plain name into banner form', () => {
    const name = parsePatientName('Mrs Jane Smith');
    expect(name && displayPatientName(name)).toBe('SMITH, Jane (Mrs)');
  });
});
