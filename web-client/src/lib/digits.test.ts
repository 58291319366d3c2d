import { describe, expect, it } from 'vitest';
import { persianDigitsInText } from './digits';

describe('Persian digits in a Persian text', () => {
  it('turns numbers into Persian digits and leaves Latin words alone', () => {
    expect(persianDigitsInText('مدرک 12 از 300')).toBe('مدرک ۱۲ از ۳۰۰');
    expect(persianDigitsInText('پرونده CSV با کدگذاری UTF-8 و sha256')).toBe('پرونده CSV با کدگذاری UTF-8 و sha256');
    expect(persianDigitsInText('شمارهٔ 1-20-04512')).toBe('شمارهٔ ۱-۲۰-۰۴۵۱۲');
  });
});
