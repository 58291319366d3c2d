/**
 * The form of a Persian text used to match what someone types: Arabic ي/ى and ك folded to
 * Persian ی and ک, ئ to ی, the zero-width non-joiner and spaces dropped, digits in any script to
 * ASCII, lower case. «علي آباد» then finds «علی‌آباد».
 */
export function searchKey(text: string): string {
  return text
    .replace(/[يى]/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/ئ/g, 'ی')
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\s\u200c\u200d\u200e\u200f]/g, '')
    .toLowerCase();
}

/** The items whose name starts with what was typed, then those that contain it. */
export function matching<T>(items: readonly T[], typed: string, name: (item: T) => string, limit = 50): T[] {
  const key = searchKey(typed);
  if (!key) return items.slice(0, limit);
  const starts: T[] = [];
  const contains: T[] = [];
  for (const item of items) {
    const k = searchKey(name(item));
    if (k.startsWith(key)) starts.push(item);
    else if (k.includes(key)) contains.push(item);
  }
  return [...starts, ...contains].slice(0, limit);
}
