/** Rials for people: «۱٬۵۰۰٬۰۰۰ ریال» in Persian, «1,500,000 rials» in English. */
export function formatRials(amount: number, lang: 'fa' | 'en'): string {
  const n = new Intl.NumberFormat(lang === 'fa' ? 'fa-IR' : 'en-US').format(amount);
  return lang === 'fa' ? `${n} ریال` : `${n} rials`;
}
