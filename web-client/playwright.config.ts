// Browser tests (e2e/*.spec.ts): Debian's Chromium (nothing downloads a browser), each test on
// its own `anjoman` and fresh SQLite database, every scenario in Persian and English at desktop
// width and on a 360 px phone. `npx playwright test officers` runs one file while working on it.
import { defineConfig, devices } from '@playwright/test';

const desktop = { width: 1280, height: 800 };
const phone = { width: 360, height: 740 };

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
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [
    { name: 'api-docs', testMatch: 'swagger.spec.ts' },
    ...(['fa', 'en'] as const).flatMap((lang) =>
      [
        ['desktop', desktop],
        ['360px', phone],
      ].map(([size, viewport]) => ({
        name: `${lang} ${size}`,
        testIgnore: 'swagger.spec.ts',
        use: { lang, locale: lang === 'fa' ? 'fa-IR' : 'en-GB', viewport: viewport as typeof desktop },
      })),
    ),
  ],
});
