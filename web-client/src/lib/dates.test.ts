import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, jalaliParts } from './dates';
import { toAsciiDigits, toPersianDigits } from './digits';
import { checkNationalCode } from './nationalCode';

describe('Jalali dates in Tehran time', () => {
  it('knows Esfand 30, 1403, the leap day', () => {
    // 1403 is a Jalali leap year: 20 March 2025 is its 30th of Esfand, Nowruz 1404 is the 21st.
    expect(jalaliParts('2025-03-20T08:00:00Z')).toEqual({ year: 1403, month: 12, day: 30 });
    expect(jalaliParts('2025-03-21T08:00:00Z')).toEqual({ year: 1404, month: 1, day: 1 });
    expect(formatDate('2025-03-20T08:00:00Z', 'fa')).toBe('۳۰ اسفند ۱۴۰۳');
  });

  it('has no Esfand 30 in a common year', () => {
    // 1402 is not a leap year: 20 March 2024 is already Farvardin 1, 1403.
    expect(jalaliParts('2024-03-19T12:00:00Z')).toEqual({ year: 1402, month: 12, day: 29 });
    expect(jalaliParts('2024-03-20T12:00:00Z')).toEqual({ year: 1403, month: 1, day: 1 });
  });

  it('shifts UTC to Tehran time (UTC+03:30) across midnight', () => {
    // 21:00 UTC on 20 March 2025 is 00:30 on 21 March in Tehran: already Nowruz.
    expect(jalaliParts('2025-03-20T21:00:00Z')).toEqual({ year: 1404, month: 1, day: 1 });
    expect(formatDateTime('2025-03-20T21:00:00Z', 'en')).toContain('00:30');
    expect(formatDateTime('2025-03-20T21:00:00Z', 'fa')).toContain('۰۰:۳۰');
  });

  it('shows Gregorian dates in English', () => {
    expect(formatDate('2025-03-20T08:00:00Z', 'en')).toBe('20 March 2025');
  });
});

describe('digits', () => {
  it('normalises Persian and Arabic-Indic digits', () => {
    expect(toAsciiDigits('۰۴۹۹۳۷۰۸۹۹')).toBe('0499370899');
    expect(toAsciiDigits('٠٤٩٩٣٧٠٨٩٩')).toBe('0499370899');
    expect(toPersianDigits('1403')).toBe('۱۴۰۳');
  });
});

describe('national code', () => {
  it('accepts valid codes in any digits and pads short ones', () => {
    expect(checkNationalCode('0499370899')).toEqual({ value: '0499370899' });
    expect(checkNationalCode('۰۴۹۹۳۷۰۸۹۹')).toEqual({ value: '0499370899' });
    expect(checkNationalCode('84575948')).toEqual({ value: '0084575948' });
  });

  it('names the problem', () => {
    expect(checkNationalCode('')).toEqual({ problem: 'required' });
    expect(checkNationalCode('04993708a9')).toEqual({ problem: 'digits' });
    expect(checkNationalCode('04993708991')).toEqual({ problem: 'length' });
    expect(checkNationalCode('1111111111')).toEqual({ problem: 'invalid' });
    expect(checkNationalCode('0499370898')).toEqual({ problem: 'invalid' });
  });
});

import { formatRials } from './money';

describe('money', () => {
  it('shows rials with grouping in both languages', () => {
    expect(formatRials(1500000, 'fa')).toBe('۱٬۵۰۰٬۰۰۰ ریال');
    expect(formatRials(1500000, 'en')).toBe('1,500,000 rials');
  });
});
