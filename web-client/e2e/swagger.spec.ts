// Swagger UI, served from the vendored copy, shows the API document.
import { test, expect, watch, shots } from './support/fixtures';
import { startServer } from './support/servers';
import { join } from 'node:path';

test('Swagger UI shows the API', async ({ page }) => {
  const server = await startServer();
  const problems = watch(page, new Set());
  try {
    await page.goto(`${server.base}/api/docs/`);
    await page.locator('.swagger-ui .title').getByText('Anjoman API').waitFor({ timeout: 20_000 });
    await expect(page.locator('.opblock-summary-path', { hasText: '/api/v1/auth/login' }).first()).toBeVisible();
    await page.screenshot({ path: join(shots, 'swagger-ui.png') });
    expect(problems, 'no console errors or failed requests').toEqual([]);
  } finally {
    server.stop();
  }
});
