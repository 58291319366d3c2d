// Steps several scenarios take the same way: paying in the sandbox gateway and signing in
// through the government SSO (the test OIDC provider's pages).
import type { Page } from '@playwright/test';
import type { Messages } from '../../src/i18n/fa';

/** After a pay button was pressed: pays in the sandbox gateway and waits for the paid invoice. */
export async function payInSandbox(page: Page, t: Messages) {
  await page.waitForURL(/\/sandbox-gateway\/S\d+$/);
  await page.getByRole('button', { name: t.payments.pay, exact: true }).click();
  await page.waitForURL(/\/invoices\/[0-9a-f-]+\?payment=paid$/);
  // Let the returning page restore its session before navigating on (a reload in the middle of
  // a token refresh would present a rotated refresh token).
  await page.getByTestId('invoice-status').getByText(t.payments.statuses.paid).waitFor();
}

/**
 * Signs in on `base`'s login page through the SSO as `nationalCode`, landing on the engineers'
 * portal; the provider asks for the login and consent only when it has no session of its own.
 */
export async function signInWithSso(page: Page, t: Messages, base: string, nationalCode: string) {
  await page.goto(`${base}/login`);
  const label = t.login.sso.button.replace('{{provider}}', 'دولت من');
  await page.getByRole('button', { name: label }).or(page.getByRole('link', { name: label })).click();
  const login = page.locator('input[name="login"]');
  const portal = page.waitForURL(/\/engineer$/);
  await Promise.race([login.waitFor(), portal]);
  if (await login.isVisible()) {
    await login.fill(nationalCode);
    await page.locator('input[name="password"]').fill('any');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    const consent = page.getByRole('button', { name: 'Continue' });
    await Promise.race([consent.waitFor(), portal]);
    if (await consent.isVisible()) await consent.click();
  }
  await portal;
}
