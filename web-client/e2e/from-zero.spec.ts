/**
 * From zero: an empty database (no demo data), `anjoman create-admin`, then through the web
 * client only: a person registers, the commission admin grants them the directorate and a
 * province's engineering organisation, sees this device among the sessions, disables the account
 * (sign-in refused with the reason's message), re-enables it and revokes a grant; the commission
 * creates an association and names its admin, who sets the accepted fields and approves the
 * first person's request; that person, as the directorate, registers a distributor whose manager
 * then finds it on their page, and names Tehran's reviewer, who approves a new officer's
 * qualification request; the officer pays the fee in the sandbox gateway and is qualified; as
 * Fars's engineering admin, they import an engineer, who signs in through the SSO, asks for
 * renewal, is sent the fee with the prior debt and pays it.
 */
import { test, expect, axe, noHorizontalScroll } from './support/fixtures';
import { anjoman, ssoEnv } from './support/servers';
import { GOOD, persianDigits, randomNationalCode } from './support/data';
import { payInSandbox, signInWithSso } from './support/flows';

test('from an empty database and create-admin, every role is granted and used through the web client', async ({ scenario, lang, t }) => {
  const admin = randomNationalCode();
  const before = (dir) => {
    const out = anjoman(dir, ['create-admin', '--national-code', admin, '--password', GOOD]);
    expect(out.status, `create-admin ran: ${out.stdout}${out.stderr}`).toBe(0);
  };
  // The government SSO's stand-in, for the engineer's first login.
  const sso = await ssoEnv();
  try {
    await scenario({ label: 'from zero', demo: false, env: sso.env, before }, async (s) => {
      const { tag, shot, server, page, expected } = s;
      const fa = lang === 'fa';
      // The provider's development pages ask for a web font; there is no internet here.
      await s.context.route('https://fonts.googleapis.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/css', body: '' }));
      s.stage = 'a person registers in the web client';
      const registerInSpa = async (code, first, last, mobile) => {
        await page.goto(`${server.base}/register`);
        await page.locator('#national_code').fill(code);
        await page.locator('#first_name').fill(first);
        await page.locator('#last_name').fill(last);
        await page.locator('#mobile').fill(mobile);
        await page.locator('#password').fill(GOOD);
        await page.locator('#password_repeat').fill(GOOD);
        await page.locator('#captcha_answer').fill('12345');
        await page.locator('form').getByRole('button', { name: t.register.submit }).click();
        await page.waitForURL(/\/login\?registered=1$/);
      };
      const other = randomNationalCode();
      await registerInSpa(other, 'Sohrab', 'Sepehri', '09121110000');

      s.stage = 'the commission admin grants the directorate and a province';
      await s.signIn(admin, GOOD);
      await s.openMenu();
      await page.getByRole('link', { name: t.accounts.rolesTitle }).first().click();
      await page.waitForURL(/\/admin\/roles$/);
      await page.getByRole('heading', { level: 1, name: t.accounts.rolesTitle }).waitFor();
      const rows = page.getByTestId('grant-rows');
      await rows.getByText(admin).or(rows.getByText(persianDigits(admin))).waitFor();
      const grant = async (role, province, code = other) => {
        await page.getByRole('button', { name: t.accounts.grant }).click();
        await page.locator('#grant-code').fill(code);
        await page.locator('#grant-role').click();
        await page.getByRole('option', { name: role }).click();
        if (province) {
          await page.locator('#grant-scope').click();
          await page.getByRole('option', { name: province }).click();
        }
        await page.getByRole('dialog').getByRole('button', { name: t.accounts.grant }).click();
        await page.getByRole('dialog').waitFor({ state: 'detached' });
      };
      await grant(t.roles.directorate_admin, null);
      await grant(t.roles.engineering_admin, fa ? 'فارس' : 'Fars');
      await rows.getByText(fa ? 'فارس' : 'Fars').waitFor();
      const listed = await page
        .waitForFunction(() => document.querySelectorAll('[data-testid=grant-rows] tr').length === 3, null, { timeout: 10_000 })
        .then(() => true, () => false);
      expect.soft(listed, `${tag}: both grants listed beside the admin's own: ${String(await rows.locator('tr').count())}`).toBeTruthy();
      await page.locator('#grants-search').fill(other.slice(0, 7));
      const found = await page
        .waitForFunction(() => document.querySelectorAll('[data-testid=grant-rows] tr').length === 2, null, { timeout: 10_000 })
        .then(() => true, () => false);
      expect.soft(found, `${tag}: search finds the grantee only: ${String(await rows.locator('tr').count())}`).toBeTruthy();
      await axe(page, `${tag} roles`);
      await noHorizontalScroll(page, `${tag} roles`);
      await page.screenshot({ path: shot('roles'), fullPage: true });

      s.stage = 'the last holder of a province stays; revoking asks first';
      const revoke = async (text) => {
        await rows.locator('tr').filter({ hasText: text }).getByRole('button', { name: t.accounts.revoke }).click();
        await page.getByRole('dialog').getByRole('button', { name: t.accounts.revoke }).click();
      };
      expected.add(409);
      await revoke(fa ? 'فارس' : 'Fars');
      await page.getByText(fa ? 'آخرین دارندهٔ این نقش' : 'last holder of this role').waitFor();
      const commissioner = fa ? 'مدیر کمیسیون' : 'Commission administrator';
      await grant(commissioner, null);
      await rows.getByText(commissioner).first().waitFor();
      await revoke(commissioner);
      await page.getByText(fa ? 'نقش پس گرفته شد' : 'The role was revoked').waitFor();
      const gone = await page
        .waitForFunction(() => document.querySelectorAll('[data-testid=grant-rows] tr').length === 2, null, { timeout: 10_000 })
        .then(() => true, () => false);
      expect.soft(gone, `${tag}: revoked grant gone, the last holder kept: ${String(await rows.locator('tr').count())}`).toBeTruthy();

      s.stage = 'sessions on the profile';
      await page.goto(`${server.base}/profile`);
      const sessions = page.getByTestId('session-rows');
      await sessions.getByText(t.accounts.thisDevice).waitFor();
      expect.soft((await sessions.locator('li').count()) >= 1, `${tag}: this device is listed`).toBeTruthy();

      s.stage = 'disabling an account';
      await page.goto(`${server.base}/admin/people`);
      const people = page.getByTestId('people-rows');
      const row = people.locator('tr').filter({ hasText: 'Sohrab' });
      await row.getByRole('button', { name: t.accounts.disable }).click();
      await page.locator('#disable-reason').fill(fa ? 'درخواست خود شخص' : 'At their own request');
      await page.getByRole('dialog').getByRole('button', { name: t.accounts.disable }).click();
      await row.getByText(t.accounts.disabled, { exact: true }).waitFor();
      await axe(page, `${tag} people`);
      await noHorizontalScroll(page, `${tag} people`);
      await page.screenshot({ path: shot('people'), fullPage: true });
      await s.signOut();
      expected.add(403);
      await page.locator('#national_code').fill(other);
      await page.locator('#password').fill(GOOD);
      await page.locator('#captcha_answer').fill('12345');
      await page.locator('form').getByRole('button', { name: t.login.submit }).click();
      await page.getByText(fa ? 'غیرفعال کرده‌اند' : 'has been disabled').waitFor();
      // a disabled account is refused with a clear message

      s.stage = 're-enabling';
      await s.signIn(admin, GOOD);
      await page.goto(`${server.base}/admin/people`);
      await people.locator('tr').filter({ hasText: 'Sohrab' }).getByRole('button', { name: t.accounts.enable }).click();
      await people.locator('tr').filter({ hasText: 'Sohrab' }).getByText(t.accounts.active, { exact: true }).waitFor();
      await s.signOut();
      await s.signIn(other, GOOD);
      // re-enabled account signs in
      await s.signOut();

      s.stage = 'the commission creates an association and names its admin';
      const head = randomNationalCode();
      await registerInSpa(head, 'Forough', 'Farrokhzad', '09121110009');
      await s.signIn(admin, GOOD);
      await page.goto(`${server.base}/associations`);
      await page.locator('#association-code').fill('zero-a');
      await page.locator('#association-name').fill('انجمن آغاز');
      await page.locator('form').getByRole('button', { name: t.associations.create }).click();
      await page.getByTestId('association-list').getByText('انجمن آغاز').waitFor();
      await page.goto(`${server.base}/admin/roles`);
      await grant(t.roles.association_admin, 'انجمن آغاز', head);
      await rows.getByText('انجمن آغاز').waitFor();
      // the new association's admin is named
      await s.signOut();

      s.stage = "the association's admin sets the accepted fields";
      await s.signIn(head, GOOD);
      await page.goto(`${server.base}/associations`);
      await page.getByTestId('association-list').getByText('انجمن آغاز').click();
      await page.getByRole('button', { name: t.associations.editQualifications }).click();
      await page.locator('#qualification-field').fill('انفورماتیک پزشکی');
      await page.locator('#qualification-degree').click();
      await page.getByRole('option', { name: t.associations.degrees.master, exact: true }).click();
      await page.getByRole('listbox').waitFor({ state: 'detached' });
      await page.getByRole('button', { name: t.associations.add, exact: true }).click();
      await page.getByRole('button', { name: t.associations.saveQualifications }).click();
      await page.getByRole('button', { name: t.associations.saveQualifications }).waitFor({ state: 'detached' });
      await s.signOut();

      s.stage = 'a person asks to join and the admin approves';
      await s.signIn(other, GOOD);
      await page.goto(`${server.base}/associations`);
      await page.getByTestId('association-list').getByText('انجمن آغاز').click();
      await page.locator('#membership-field').fill('انفورماتیک پزشکی');
      await page.locator('#membership-degree').click();
      await page.getByRole('option', { name: t.associations.degrees.master, exact: true }).click();
      await page.getByRole('listbox').waitFor({ state: 'detached' });
      await page.locator('form').getByRole('button', { name: t.associations.request }).click();
      await page.getByTestId('membership-status').getByText(t.associations.statuses.pending).waitFor();
      await s.signOut();
      await s.signIn(head, GOOD);
      await page.goto(`${server.base}/associations`);
      await page.getByTestId('association-list').getByText('انجمن آغاز').click();
      await page.getByRole('link', { name: t.associations.manage }).click();
      const request = page.getByTestId('member-rows').locator('tr', { hasText: 'Sohrab Sepehri' });
      await request.getByRole('button', { name: t.associations.approve }).click();
      await request.waitFor({ state: 'detached' });
      await s.signOut();
      await s.signIn(other, GOOD);
      await page.getByTestId('my-memberships').getByText(t.associations.statuses.approved).waitFor();
      // from zero, a membership is requested and approved in a new association

      s.stage = 'the directorate registers a distributor; its manager finds it';
      await page.goto(`${server.base}/distributor`);
      await page.locator('#distributor-name').fill('شرکت آغاز طب');
      await page.locator('#distributor-manager').fill(head);
      await page.locator('#central-province').click();
      await page.getByRole('option', { name: 'تهران', exact: true }).click();
      await page.getByRole('listbox').waitFor({ state: 'detached' });
      // The city is searched as typed, with the Arabic yeh folded (over a thousand cities).
      await page.locator('#central-city').fill('ري');
      await page.getByRole('option', { name: 'ری', exact: true }).click();
      await page.getByRole('listbox').waitFor({ state: 'detached' });
      await page.locator('#central-address').fill('ری، میدان شهرداری، پلاک ۷');
      await page.getByRole('button', { name: t.distributors.createButton }).click();
      await page.getByText('شرکت آغاز طب').first().waitFor();
      await s.signOut();
      await s.signIn(head, GOOD);
      await s.openMenu();
      await page.getByRole('link', { name: t.accounts.scopeKinds.distributor }).first().click();
      await page.getByTestId('branches').waitFor();
      await page.getByText('شرکت آغاز طب').first().waitFor();
      // from zero, the distributor's manager runs the new distributor
      await s.signOut();

      s.stage = "the directorate names Tehran's reviewer";
      await s.signIn(other, GOOD);
      await page.goto(`${server.base}/reviews`);
      await page.getByTestId('directorate-settings').waitFor();
      await page.locator('#reviewer-province').click();
      await page.getByRole('option', { name: /^تهران/ }).click();
      await page.getByRole('listbox').waitFor({ state: 'detached' });
      await page.locator('#reviewer-code').fill(head);
      await page.getByRole('button', { name: t.reviews.addReviewer }).click();
      await page.getByText(t.reviews.reviewerAdded).waitFor();
      await s.signOut();

      s.stage = 'an officer registers and asks for qualification';
      const officer = randomNationalCode();
      await registerInSpa(officer, 'Nima', 'Yushij', '09121110008');
      await s.signIn(officer, GOOD);
      await page.getByTestId('officer-link').click();
      // MUI's date field is a row of spin buttons (year, month, day); typing fills them in turn.
      await page.locator('.MuiPickersSectionList-root').first().locator('[role="spinbutton"]').first().click();
      await page.keyboard.type(fa ? '13670310' : '05311988');
      await page.locator('#officer-father').fill(fa ? 'ابراهیم' : 'Ebrahim');
      await page.locator('#officer-id-card').fill('4321');
      await page.locator('#officer-province').click();
      await page.getByRole('option', { name: 'تهران', exact: true }).click();
      // The city is searched as typed, with the Arabic yeh folded (over a thousand cities).
      await page.locator('#officer-city').fill('ري');
      await page.getByRole('option', { name: 'ری', exact: true }).click();
      await page.locator('#officer-address').fill('تهران، ری، خیابان فدائیان اسلام، پلاک ۴');
      await page.locator('#officer-qualification').click();
      await page.getByRole('option', { name: /مهندسی پزشکی/ }).first().click();
      await page.getByRole('listbox').waitFor({ state: 'detached' });
      const pdf = { name: 'degree.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n') };
      await page.getByTestId('officer-document').setInputFiles(pdf);
      await page.getByRole('button', { name: 'degree.pdf' }).waitFor();
      await page.getByRole('button', { name: t.officers.registerButton, exact: true }).click();
      await page.getByTestId('qualified').waitFor();
      await page.getByRole('button', { name: t.officers.submitQualification }).click();
      await page.getByRole('dialog').getByRole('button', { name: t.officers.submit }).click();
      await page.getByTestId('request-status').getByText(t.officers.statuses.submitted).waitFor();
      await s.signOut();

      s.stage = 'the new reviewer approves with the fee';
      await s.signIn(head, GOOD);
      await page.goto(`${server.base}/reviews`);
      await page.getByTestId('review-queue').getByText('Nima Yushij', { exact: false }).click();
      await page.getByRole('button', { name: t.associations.approve, exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: t.associations.approve }).click();
      await page.getByTestId('review-status').getByText(t.officers.statuses.awaiting_payment).waitFor();
      await s.signOut();

      s.stage = 'the officer pays the fee and is qualified';
      await s.signIn(officer, GOOD);
      await page.goto(`${server.base}/officer`);
      await page.getByRole('button', { name: t.officers.pay }).click();
      await payInSandbox(page, t);
      await page.goto(`${server.base}/officer`);
      const qualified = await page.getByTestId('qualified').innerText();
      expect.soft(qualified.includes(fa ? 'احراز صلاحیت از' : 'Qualified since'), `${tag}: from zero, an officer is qualified after the new reviewer's approval and the fee: ${qualified}`).toBeTruthy();
      await s.signOut();

      s.stage = "Fars's engineering admin imports an engineer";
      // Born in Shiraz (228): the national code gives Fars, the membership province, so no
      // residence proof is asked for.
      const engineer = randomNationalCode('228');
      const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      const csv = `national_code,first_name,last_name,province,membership_number,expires_on\r\n${engineer},سیمین,دانشور,فارس,FA-1001,${expires}\r\n`;
      await s.signIn(other, GOOD);
      await page.goto(`${server.base}/engineering`);
      await page.getByRole('tab', { name: t.engineering.tabs.engineers }).click();
      await page.getByRole('button', { name: fa ? 'ورود مهندسان از پرونده (CSV)' : /CSV/ }).click();
      await page.getByTestId('import-input').setInputFiles({ name: 'engineers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      const confirmImport = page.getByRole('dialog').locator('.MuiDialogActions-root .MuiButton-contained');
      await confirmImport.waitFor();
      await confirmImport.click();
      await page.getByRole('dialog').getByRole('status').waitFor();
      await page.getByRole('dialog').locator('.MuiDialogActions-root button').first().click();
      await page.getByText('سیمین دانشور', { exact: false }).first().waitFor();
      await s.signOut();

      s.stage = 'the engineer signs in through the SSO and asks for renewal';
      const ssoSignIn = () => signInWithSso(page, t, server.base, engineer);
      await ssoSignIn();
      const born = page.locator('#eng-birth-province');
      await expect.soft(born, `${tag}: the province of birth comes from the national code`).toHaveValue('فارس');
      await expect.soft(born, `${tag}: and is read-only`).toHaveAttribute('readonly');
      await page.getByRole('button', { name: t.engineers.renewal.request }).click();
      await page.getByTestId('renewal-status').getByText(fa ? 'در دست بررسی' : 'under review', { exact: false }).waitFor();
      await s.signOut();

      s.stage = 'the admin enters the prior debt';
      await s.signIn(other, GOOD);
      await page.goto(`${server.base}/engineering`);
      await page.getByText('سیمین دانشور', { exact: false }).first().waitFor();
      await page.getByRole('button', { name: t.engineering.assess.open }).click();
      await page.locator('#assess-debt').fill('1000000');
      await page.getByRole('dialog').getByRole('button', { name: t.engineering.assess.send }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await s.signOut();

      s.stage = 'the engineer pays and the membership is renewed';
      await ssoSignIn();
      await page.getByTestId('renewal-status').getByText(fa ? '۱۳٬۰۰۰٬۰۰۰ ریال' : '13,000,000 rials').first().waitFor();
      await page.getByRole('button', { name: fa ? /^پرداخت / : /^Pay / }).click();
      await payInSandbox(page, t);
      await page.goto(`${server.base}/engineer`);
      const renewed = await page.getByText(fa ? 'تمدید شد' : 'Renewed', { exact: false }).first().innerText();
      expect.soft(renewed.length > 0, `${tag}: from zero, an imported engineer renews through the SSO and pays: ${renewed}`).toBeTruthy();
    });
  } finally {
    sso.stop();
  }
});
