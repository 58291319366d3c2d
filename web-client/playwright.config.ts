// Browser tests (e2e/*.spec.ts): Debian's Chromium (nothing downloads a browser), each test on
// its own `anjoman` and fresh SQLite database. Every scenario runs in both languages and at both
// widths, pairwise: half the specs as Persian desktop and English 360 px, the other half as
// Persian 360 px and English desktop (`E2E_FULL=1` runs every spec in all four). The machine of
// `make test` has two cores; the full matrix takes twice as long for little more coverage.
// `npx playwright test officers` runs one file while working on it; `E2E_TRACE=1` keeps a trace
// of each failed test (recording one costs every test a good part of a core).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';

const desktop = { width: 1280, height: 800 };
const phone = { width: 360, height: 740 };
const full = Boolean(process.env.E2E_FULL);
// The two halves, of about equal running time. A new spec joins one of them (checked below).
const groupA = ['election-admin', 'content', 'membership', 'officers', 'recovery', 'integrations'].map((n) => `${n}.spec.ts`);
const groupB = ['voting', 'from-zero', 'main', 'engineers', 'distributors', 'endings'].map((n) => `${n}.spec.ts`);
const unplaced = readdirSync(join(import.meta.dirname, 'e2e')).filter(
  (f) => f.endsWith('.spec.ts') && f !== 'swagger.spec.ts' && !groupA.includes(f) && !groupB.includes(f),
);
if (unplaced.length) throw new Error(`playwright.config.ts: put ${unplaced.join(', ')} in groupA or groupB`);

export default defineConfig({
  testDir: 'e2e',
  outputDir: '../test-output/e2e-results',
  fullyParallel: true,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  timeout: 300_000,
  forbidOnly: true,
  reporter: [['list'], ['json', { outputFile: '../test-output/e2e.json' }]],
  use: {
    ...devices['Desktop Chrome'],
    headless: true,
    screenshot: 'only-on-failure',
    trace: process.env.E2E_TRACE ? 'retain-on-failure' : 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [
    { name: 'api-docs', testMatch: 'swagger.spec.ts' },
    ...(['fa', 'en'] as const).flatMap((lang) =>
      (['desktop', '360px'] as const).map((size) => ({
        name: `${lang} ${size}`,
        testMatch: full ? /\.spec\.ts$/ : (lang === 'fa') === (size === 'desktop') ? groupA : groupB,
        testIgnore: 'swagger.spec.ts',
        use: { lang, locale: lang === 'fa' ? 'fa-IR' : 'en-GB', viewport: size === 'desktop' ? desktop : phone },
      })),
    ),
  ],
});
