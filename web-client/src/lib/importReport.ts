/** The rejected rows of an `import_rejected` answer: `rows[<line>].<column>` → messages, by line. */
export function rejectedRows(fields: Record<string, string[]>): { line: number; problems: string[] }[] {
  const byLine = new Map<number, string[]>();
  for (const [key, messages] of Object.entries(fields)) {
    const match = /^rows\[(\d+)\]\./.exec(key);
    const line = match ? Number(match[1]) : 0;
    byLine.set(line, [...(byLine.get(line) ?? []), ...messages]);
  }
  return [...byLine.entries()].sort(([a], [b]) => a - b).map(([line, problems]) => ({ line, problems }));
}
