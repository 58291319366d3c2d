// Test data: valid national codes, the passwords the scenarios use, and small files to upload.
export const GOOD = 'Sahand-Kuh 1403';
export const NEW_GOOD = 'Damavand-Peak 5671';
export const FORCED = '0010350829';

export const persianDigits = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x06f0 + Number(d)));

/** A random national code with a valid check digit. */
/** A valid national code, random but for its first digits (`prefix`: the issuing area). */
export function randomNationalCode(prefix = ''): string {
  for (;;) {
    const nine = [...prefix].map(Number).concat(Array.from({ length: 9 - prefix.length }, () => Math.floor(Math.random() * 10)));
    if (nine.every((d) => d === nine[0])) continue;
    const sum = nine.reduce((acc, d, i) => acc + d * (10 - i), 0);
    const r = sum % 11;
    return nine.join('') + String(r < 2 ? r : 11 - r);
  }
}

export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63504858f01f0003e402207b860edc0000000049454e44ae426082', 'hex');
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** A members CSV of `n` distinct people; `bad` lines (1-based data rows) get a broken national code. */
export function membersCsv(n: number, bad: number[] = []) {
  const lines = ['کد ملی,نام,نام خانوادگی,رشته,مقطع'];
  const seen = new Set<string>();
  for (let i = 1; lines.length <= n; i++) {
    let code = randomNationalCode();
    while (seen.has(code)) code = randomNationalCode();
    seen.add(code);
    lines.push(`${bad.includes(i) ? '12345' : code},عضو,شمارهٔ ${i},انفورماتیک پزشکی,کارشناسی ارشد`);
  }
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`);
}
