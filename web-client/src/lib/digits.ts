/** Persian (۰-۹) and Arabic-Indic (٠-٩) digits to ASCII; other characters are kept. */
export function toAsciiDigits(value: string): string {
  return value.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (c) => {
    const code = c.charCodeAt(0);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}

/** ASCII digits to Persian digits, for display in Persian. */
export function toPersianDigits(value: string | number): string {
  return String(value).replace(/[0-9]/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
}

/**
 * The numbers of a Persian text in Persian digits, leaving digits that belong to a Latin word
 * (`UTF-8`, `sha256`, `$2b$`) as they are: what the interface says in Persian reads in Persian.
 */
export function persianDigitsInText(text: string): string {
  return text.replace(/(^|[^A-Za-z$_0-9-]|(?<![A-Za-z])-)([0-9]+)(?![A-Za-z$_0-9])/g, (_, before: string, digits: string) => before + toPersianDigits(digits));
}
