/**
 * Dates for people: the API speaks UTC ISO-8601; people read Tehran time, in the Jalali
 * calendar with Persian digits in Persian and the Gregorian calendar in English (PL-05).
 */
export type Lang = 'fa' | 'en';

export const TEHRAN = 'Asia/Tehran';

function formatter(lang: Lang, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const locale = lang === 'fa' ? 'fa-IR-u-ca-persian-nu-arabext' : 'en-GB-u-ca-gregory';
  return new Intl.DateTimeFormat(locale, { timeZone: TEHRAN, ...options });
}

/** A date such as «۳۰ اسفند ۱۴۰۳» or «20 March 2025». */
export function formatDate(iso: string | Date, lang: Lang): string {
  return formatter(lang, { year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(iso));
}

/** A date and time in Tehran, e.g. «۳۰ اسفند ۱۴۰۳، ۱۲:۳۰». */
export function formatDateTime(iso: string | Date, lang: Lang): string {
  return formatter(lang, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

/** The Jalali year, month and day of an instant, in Tehran. */
export function jalaliParts(iso: string | Date): { year: number; month: number; day: number } {
  const parts = new Intl.DateTimeFormat('en-US-u-ca-persian-nu-latn', {
    timeZone: TEHRAN,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(new Date(iso));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  return { year: get('year'), month: get('month'), day: get('day') };
}

/** A picked calendar day as `YYYY-MM-DD`. */
export function isoDay(d: Date | null): string | null {
  if (!d || Number.isNaN(d.getTime())) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A `YYYY-MM-DD` day as an instant at its noon, so every time zone shows the same day. */
export const asDate = (day: string) => `${day}T12:00:00Z`;
