import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('feature boundaries', () => {
  it("imports another feature only through its index.ts, never its files", () => {
    const offending: string[] = [];
    for (const file of sources(root)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/from '\.\.\/([a-z]+)\/([^']+)'/g)) {
        offending.push(`${file.slice(root.length + 1)} → ../${m[1]}/${m[2]}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('reads the provinces through the shared hook only', () => {
    const copies = sources(root).filter((f) => readFileSync(f, 'utf8').includes("api.GET('/api/v1/provinces')"));
    expect(copies).toEqual([]);
  });

  it("calls the API only from a feature's api.ts (its hooks and query-key factory), never from a page", () => {
    const offending = sources(root).filter((f) => !f.endsWith('/api.ts') && /\bapi\.(GET|POST|PUT|PATCH|DELETE)\(/.test(readFileSync(f, 'utf8')));
    expect(offending.map((f) => f.slice(root.length + 1))).toEqual([]);
  });
});
