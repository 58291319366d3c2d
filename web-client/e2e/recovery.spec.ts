/** Forgot password by both options, then the administrator's audit log and outbox. */
import { createHmac } from 'node:crypto';
import { test, expect, axe, noHorizontalScroll } from './support/fixtures';
import { startSmtpSink, INBOUND_SECRET } from './support/servers';
import { GOOD, NEW_GOOD, persianDigits, randomNationalCode } from './support/data';

test('password recovery by e-mail and by SMS, then the audit log, the outbox and an invoice', async ({ scenario, lang, t }) => {
  const smtp = await startSmtpSink();
  try {
    await scenario({ label: 'recovery/admin', env: { ANJOMAN_SMTP_URL: smtp.url } }, async (s) => {
      const { tag, shot, server, context, page } = s;
      s.stage = 'a person with a mobile and an e-mail';
      const code = randomNationalCode();
      const mobile = '09127654321';
      const email = `p${code}@example.ir`;
      const res = await fetch(`${server.base}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ national_code: code, password: GOOD, first_name: 'Nima', last_name: 'Yushij', mobile, email }),
      });
      expect.soft(res.status === 201, `${tag}: person registered: ${String(res.status)}`).toBeTruthy();

      s.stage = 'option 1: code by e-mail, then a new password';
      await page.goto(`${server.base}/login`);
      await page.getByRole('link', { name: t.login.forgot }).click();
      await page.waitForURL(/\/forgot-password$/);
      await page.getByRole('heading', { level: 1, name: t.recovery.title }).waitFor();
      await axe(page, `${tag} forgot password`);
      await page.locator('#national_code').fill(code);
      await page.locator('#captcha_answer').fill('12345');
      await page.locator('form').getByRole('button', { name: t.recovery.send }).click();
      await page.locator('#code').waitFor();
      const mail = await smtp.waitFor(email);
      const otp = /\b(\d{6})\b/.exec(mail)?.[1];
      expect.soft(Boolean(otp), `${tag}: reset code arrived by e-mail: ${mail}`).toBeTruthy();
      await page.locator('#code').fill(lang === 'fa' ? persianDigits(otp) : otp);
      await page.locator('#new_password').fill(NEW_GOOD);
      await page.locator('#new_password_repeat').fill(NEW_GOOD);
      await page.screenshot({ path: shot('7-reset-code'), fullPage: true });
      await page.locator('form').getByRole('button', { name: t.recovery.setPassword }).click();
      await page.waitForURL(/\/login\?reset=1$/);
      await page.locator('#national_code').fill(code);
      await page.locator('#password').fill(NEW_GOOD);
      await page.locator('#captcha_answer').fill('12345');
      await page.locator('form').getByRole('button', { name: t.login.submit }).click();
      await page.waitForURL(/\/profile$/);
      // new password works
      await s.openMenu();
      await page.getByRole('button', { name: t.nav.logout }).first().click();
      await page.waitForURL(/\/login$/);

      s.stage = 'option 2: the page shows a code, the person texts it, the page confirms by itself';
      await page.goto(`${server.base}/forgot-password`);
      await page.getByRole('tab', { name: t.recovery.bySms }).click();
      await page.locator('#national_code').fill(code);
      await page.locator('#captcha_answer').fill('12345');
      await page.locator('form').getByRole('button', { name: t.recovery.getSmsCode }).click();
      const shown = await page.getByTestId('sms-code').innerText();
      const smsCode = shown.replace(/[\u06F0-\u06F9]/g, (c) => String(c.charCodeAt(0) - 0x06f0));
      await page.screenshot({ path: shot('8-sms-code'), fullPage: true });
      const body = JSON.stringify({ message_id: `e2e-${code}`, from: mobile, to: '10004346', text: smsCode });
      const signature = `sha256=${createHmac('sha256', INBOUND_SECRET).update(body).digest('hex')}`;
      const inbound = await fetch(`${server.base}/api/v1/sms/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-anjoman-signature': signature },
        body,
      });
      expect.soft(inbound.status === 200, `${tag}: gateway relay accepted: ${String(inbound.status)}`).toBeTruthy();
      await page.getByText(lang === 'fa' ? 'پیامک دریافت شد.' : 'Your text arrived.', { exact: false }).waitFor();
      // page confirmed the text by itself
      await page.getByRole('link', { name: t.recovery.goLogin }).click();
      await page.locator('#national_code').fill(code);
      await page.locator('#password').fill(code);
      await page.locator('#captcha_answer').fill('12345');
      await page.locator('form').getByRole('button', { name: t.login.submit }).click();
      await page.waitForURL(/\/change-password$/);
      // national code as password, change required

      s.stage = 'administrator: outbox and audit log';
      await context.clearCookies();
      await page.evaluate(() => localStorage.removeItem('anjoman.session'));
      await page.goto(`${server.base}/login`);
      await page.locator('#national_code').fill('0084575948');
      await page.locator('#password').fill('Anjoman-Demo-1403');
      await page.locator('#captcha_answer').fill('12345');
      await page.locator('form').getByRole('button', { name: t.login.submit }).click();
      await page.waitForURL(/\/profile$/);
      await s.openMenu();
      await page.getByRole('link', { name: t.nav.outbox }).click();
      await page.waitForURL(/\/admin\/outbox$/);
      await page.getByTestId('outbox-rows').getByText(email).waitFor();
      // outbox lists the e-mail sent
      await axe(page, `${tag} outbox`);
      await page.screenshot({ path: shot('9-outbox'), fullPage: true });
      await page.goto(`${server.base}/admin/audit-log`);
      await page.getByText(lang === 'fa' ? 'زنجیرهٔ گزارش سالم است' : 'hash chain is intact', { exact: false }).waitFor();
      await page.locator('#filter-action').fill('auth.password_reset_by_sms');
      await page.getByRole('button', { name: t.admin.filter }).click();
      // The filtered page replaces the full one: wait until only the matching row is left.
      let rows = 0;
      for (let i = 0; i < 100; i++) {
        rows = await page.getByTestId('audit-rows').locator('tr').count();
        const match = await page.getByTestId('audit-rows').getByText('auth.password_reset_by_sms').count();
        if (rows === 1 && match === 1) break;
        await page.waitForTimeout(100);
      }
      expect.soft(rows === 1, `${tag}: audit log filters by action: ${String(rows)}`).toBeTruthy();
      await axe(page, `${tag} audit log`);
      await noHorizontalScroll(page, `${tag} audit log`);
      await page.screenshot({ path: shot('10-audit-log'), fullPage: true });

      s.stage = 'payments: the administrator issues an invoice, the member pays it at the sandbox gateway';
      await page.goto(`${server.base}/invoices`);
      await page.locator('#payer_national_code').fill('1234567891');
      await page.locator('#amount_rials').fill(lang === 'fa' ? '۱۵۰۰۰۰۰' : '1500000');
      await page.locator('#description').fill(lang === 'fa' ? 'حق عضویت ۱۴۰۵' : 'Membership fee 2026');
      await page.getByRole('button', { name: t.payments.issue, exact: true }).click();
      await page.getByText(t.payments.issuedOk).waitFor();
      await axe(page, `${tag} invoices (admin)`);
      await s.openMenu();
      await page.getByRole('button', { name: t.nav.logout }).first().click();
      await page.waitForURL(/\/login$/);
      await page.locator('#national_code').fill('1234567891');
      await page.locator('#password').fill('Anjoman-Demo-1403');
      await page.locator('#captcha_answer').fill('12345');
      await page.locator('form').getByRole('button', { name: t.login.submit }).click();
      await page.waitForURL(/\/profile$/);
      await page.goto(`${server.base}/invoices`);
      await page.getByTestId('invoice-rows').getByRole('button', { name: t.payments.pay }).click();
      await page.waitForURL(/\/sandbox-gateway\/S\d+$/);
      const amount = await page.getByTestId('sandbox-amount').innerText();
      expect.soft(amount === (lang === 'fa' ? '۱٬۵۰۰٬۰۰۰ ریال' : '1,500,000 rials'), `${tag}: the gateway shows the amount: ${amount}`).toBeTruthy();
      await axe(page, `${tag} sandbox gateway`);
      await page.screenshot({ path: shot('11-sandbox-gateway'), fullPage: true });
      await page.getByRole('button', { name: t.payments.pay, exact: true }).click();
      await page.waitForURL(/\/invoices\/[0-9a-f-]+\?payment=paid$/);
      await page.getByTestId('invoice-status').getByText(t.payments.statuses.paid).waitFor();
      // paid, verified and shown
      await axe(page, `${tag} invoice`);
      await page.screenshot({ path: shot('12-invoice-paid'), fullPage: true });
    });
  } finally {
    smtp.close();
  }
});
