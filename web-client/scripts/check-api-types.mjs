// Fails when src/api/schema.d.ts is not what openapi-typescript makes of ../openapi/openapi.json.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = join(mkdtempSync(join(tmpdir(), 'anjoman-api-')), 'schema.d.ts');
execFileSync('npx', ['openapi-typescript', '../openapi/openapi.json', '-o', out], { stdio: 'ignore' });
const fresh = readFileSync(out, 'utf8');
const committed = readFileSync('src/api/schema.d.ts', 'utf8');
if (fresh !== committed) {
  console.error('src/api/schema.d.ts is stale: run `npm run gen:api` in web-client/ (after `make openapi`).');
  process.exit(1);
}
console.log('API types are current.');
