import { toAsciiDigits } from './digits';

export type NationalCodeProblem = 'required' | 'digits' | 'length' | 'invalid';

/**
 * Mirrors the server's check (ID-01) so forms can answer before a round trip: ten digits
 * (eight or nine are left-padded), not all the same, with the official check digit.
 */
export function checkNationalCode(input: string): { value: string } | { problem: NationalCodeProblem } {
  const digits = toAsciiDigits(input.trim());
  if (digits === '') return { problem: 'required' };
  if (!/^[0-9]+$/.test(digits)) return { problem: 'digits' };
  if (digits.length < 8 || digits.length > 10) return { problem: 'length' };
  const code = digits.padStart(10, '0');
  if (/^(\d)\1{9}$/.test(code)) return { problem: 'invalid' };
  const sum = [...code.slice(0, 9)].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0);
  const r = sum % 11;
  const check = r < 2 ? r : 11 - r;
  return check === Number(code[9]) ? { value: code } : { problem: 'invalid' };
}
