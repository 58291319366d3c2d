import { test, expect, axe, latinDigits, noHorizontalScroll } from './support/fixtures';
import { GOOD, NEW_GOOD, FORCED, persianDigits, randomNationalCode } from './support/data';

test('a visitor registers, signs in, edits the profile, changes the password and switches the language', async ({ scenario, lang, t }) => {
  await scenario({ label: '' }, async (s) => {
    const { tag, phone, shot, server, page, expected } = s;
    // Home: direction and language.
    s.stage = 'Home: direction and language.';
    await page.goto(`${server.base}/`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const dir = await page.evaluate(() => document.documentElement.dir);
    expect.soft(dir === (lang === 'fa' ? 'rtl' : 'ltr'), `${tag}: page direction: ${dir}`).toBeTruthy();
    await axe(page, `${tag} home`);
    await page.screenshot({ path: shot('1-home'), fullPage: true });

    // Register: client-side validation in the page's language, then a real registration.
    s.stage = "Register: client-side validation in the page's language, then a real registration.";
    await page.goto(`${server.base}/register`);
    await page.getByRole('heading', { name: t.register.submit }).waitFor();
    await page.locator('form').getByRole('button', { name: t.register.submit }).click();
    const required = t.validation.required;
    expect.soft(await page.getByText(required).first().isVisible(), `${tag}: empty form shows field errors`).toBeTruthy();
    await axe(page, `${tag} register`);
    const code = randomNationalCode();
    await page.locator('#national_code').fill(lang === 'fa' ? persianDigits(code) : code);
    await page.locator('#first_name').fill(lang === 'fa' ? 'سارا' : 'Sara');
    await page.locator('#last_name').fill(lang === 'fa' ? 'محمدی' : 'Mohammadi');
    await page.locator('#mobile').fill(lang === 'fa' ? '۰۹۱۲۱۲۳۴۵۶۷' : '09121234567');
    await page.locator('#email').fill('sara@example.ir');
    await page.locator('#password').fill('weak');
    await page.locator('#password_repeat').fill('weak');
    await page.locator('#captcha_answer').fill('12345');
    await page.locator('form').getByRole('button', { name: t.register.submit }).click();
    const weak = lang === 'fa' ? 'دست‌کم ۸ نویسه' : 'at least 8 characters';
    expect.soft(await page.getByText(weak).first().isVisible(), `${tag}: weak password refused before sending`).toBeTruthy();
    // A password the page accepts but the server refuses (too common): the server's field
    // message appears under the field.
    expected.add(400);
    await page.locator('#password').fill('Password1');
    await page.locator('#password_repeat').fill('Password1');
    await page.locator('form').getByRole('button', { name: t.register.submit }).click();
    const common = lang === 'fa' ? 'این رمز عبور بسیار رایج است' : 'This password is too common';
    await page.locator('#password-helper-text').getByText(common).waitFor();
    // server field errors land on their fields
    expected.delete(400);
    await page.locator('#password').fill(GOOD);
    await page.locator('#password_repeat').fill(GOOD);
    await page.locator('#captcha_answer').fill('12345');
    await page.screenshot({ path: shot('2-register'), fullPage: true });
    await page.locator('form').getByRole('button', { name: t.register.submit }).click();
    await page.waitForURL(/\/login\?registered=1/);
    // The URL changes before the new page renders; wait for it, or typing lands in the old form.
    await page.getByRole('heading', { level: 1, name: t.login.title }).waitFor();
    // registration leads to sign-in
    await noHorizontalScroll(page, `${tag} login`);

    // Sign in: a wrong password first (the envelope's message is shown), then the right one.
    s.stage = "Sign in: a wrong password first (the envelope's message is shown), then the right one.";
    expected.add(401);
    await page.locator('#national_code').fill(code);
    await page.locator('#password').fill('Wrong-pass 1');
    await page.locator('#captcha_answer').fill('12345');
    await page.locator('form').getByRole('button', { name: t.login.submit }).click();
    const wrong = lang === 'fa' ? 'کد ملی یا رمز عبور نادرست است.' : 'The national code or password is incorrect.';
    await page.getByText(wrong).waitFor();
    // wrong password shows the server's message
    expected.delete(401);
    await axe(page, `${tag} login`);
    await page.screenshot({ path: shot('3-login-error'), fullPage: true });
    await page.locator('#password').fill(GOOD);
    await page.locator('#captcha_answer').fill('12345');
    await page.locator('form').getByRole('button', { name: t.login.submit }).click();
    await page.waitForURL(/\/profile$/);
    await page.getByTestId('national-code').waitFor();
    const shown = await page.getByTestId('national-code').innerText();
    expect.soft(shown === (lang === 'fa' ? persianDigits(code) : code), `${tag}: profile shows the national code: ${shown}`).toBeTruthy();

    // Profile: a Jalali (or Gregorian) birth date typed into the date field, saved and shown.
    s.stage = 'Profile: a Jalali (or Gregorian) birth date typed into the date field, saved and shown.';
    // MUI's date field is a row of spin buttons (year, month, day); typing fills them in turn.
    const birthField = page.locator('.MuiPickersSectionList-root').first();
    await birthField.locator('[role="spinbutton"]').first().click();
    await page.keyboard.type(lang === 'fa' ? '13640415' : '06071985');
    await page.locator('#mobile').fill('09351112233');
    await page.getByRole('button', { name: t.profile.save }).click();
    const saved = t.profile.saved;
    await page.getByText(saved).waitFor();
    const birth = await page.getByTestId('birth-date').innerText();
    expect.soft(lang === 'fa' ? birth === '۱۵ تیر ۱۳۶۴' : birth === '6 July 1985', `${tag}: birth date saved and shown in the right calendar: ${birth}`).toBeTruthy();
    await axe(page, `${tag} profile`);
    await noHorizontalScroll(page, `${tag} profile`);
    await page.screenshot({ path: shot('4-profile'), fullPage: true });

    s.stage = 'The Persian interface writes its numbers in Persian digits, on every page a member reaches.';
    for (const path of ['/', '/elections', '/associations', '/news', '/membership-status', '/invoices', '/messages', '/profile']) {
      await page.goto(`${server.base}${path}`);
      await page.locator('main').waitFor();
      await page.waitForLoadState('networkidle');
      expect.soft(await latinDigits(page), `${tag} ${path}: numbers in Persian digits`).toEqual([]);
    }

    // A reload keeps the session (refresh cookie), then sign out.
    s.stage = 'A reload keeps the session (refresh cookie), then sign out.';
    await page.reload();
    await page.getByTestId('national-code').waitFor();
    // session survives a reload
    await s.openMenu();
    await page.getByRole(phone ? 'button' : 'button', { name: t.nav.logout }).first().click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${server.base}/profile`);
    await page.waitForURL(/\/login\?next=/);
    // signed out for good

    // Forced password change: nothing else is reachable until it is done.
    s.stage = 'Forced password change: nothing else is reachable until it is done.';
    await page.locator('#national_code').fill(FORCED);
    await page.locator('#password').fill(FORCED);
    await page.locator('#captcha_answer').fill('12345');
    await page.locator('form').getByRole('button', { name: t.login.submit }).click();
    await page.waitForURL(/\/change-password$/);
    await page.goto(`${server.base}/profile`);
    await page.waitForURL(/\/change-password$/);
    // forced change blocks other pages
    await axe(page, `${tag} change password`);
    await page.screenshot({ path: shot('5-forced-change'), fullPage: true });
    await page.locator('#current_password').fill(FORCED);
    await page.locator('#new_password').fill(NEW_GOOD);
    await page.locator('#new_password_repeat').fill(NEW_GOOD);
    await page.locator('form').getByRole('button', { name: t.changePassword.submit }).click();
    await page.waitForURL(/\/profile\?password=changed$/);
    // forced change done, profile open

    // Navigation follows roles: an administrator is offered the API documentation.
    const apiDocs = t.nav.apiDocs;
    await s.openMenu();
    expect.soft((await page.getByRole('link', { name: apiDocs }).count()) === 0, `${tag}: no API docs item for a person without roles`).toBeTruthy();
    await page.getByRole('button', { name: t.nav.logout }).first().click();
    await page.waitForURL(/\/login$/);
    await page.locator('#national_code').fill('0084575948');
    await page.locator('#password').fill('Anjoman-Demo-1403');
    await page.locator('#captcha_answer').fill('12345');
    await page.locator('form').getByRole('button', { name: t.login.submit }).click();
    await page.waitForURL(/\/profile$/);
    await page.getByTestId('roles').waitFor();
    await s.openMenu();
    await page.getByRole('link', { name: apiDocs }).waitFor();
    // administrator sees the API docs item
    if (phone) await page.keyboard.press('Escape');

    // The language switch flips the direction.
    s.stage = 'The language switch flips the direction.';
    await page.getByRole('button', { name: t.nav.languageLabel }).click();
    const flipped = await page.evaluate(() => document.documentElement.dir);
    expect.soft(flipped === (lang === 'fa' ? 'ltr' : 'rtl'), `${tag}: language switch flips direction: ${flipped}`).toBeTruthy();
    await page.screenshot({ path: shot('6-switched'), fullPage: true });
  });
});
