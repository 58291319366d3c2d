import { test, expect, axe, noHorizontalScroll } from './support/fixtures';
import { startSmtpSink } from './support/servers';
import { GOOD, persianDigits, randomNationalCode } from './support/data';

test('a member votes and checks the ballot box', async ({ scenario, lang, t }) => {
  const smtp = await startSmtpSink();
  try {
    await scenario({ label: 'voting', env: { ANJOMAN_SMTP_URL: smtp.url, ANJOMAN_ELECTION_TICK_MS: '300' } }, async (s) => {
      const { tag, shot, server, page } = s;
      const fa = lang === 'fa';
      const { signIn, signOut } = s;
      const title = 'انتخابات هیئت‌مدیرهٔ انجمن انفورماتیک پزشکی ۱۴۰۵';
      const openElection = async () => {
        await page.goto(`${server.base}/elections`);
        await page.getByRole('heading', { level: 1, name: t.elections.title }).waitFor();
        await page.getByTestId('election-list').getByText(title).click();
        await page.getByRole('heading', { level: 1, name: title }).waitFor();
      };

      s.stage = 'a non-member is told so';
      const code = randomNationalCode();
      await fetch(`${server.base}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ national_code: code, password: GOOD, first_name: 'Sohrab', last_name: 'Sepehri' }),
      });
      await signIn(code, GOOD);
      await openElection();
      await axe(page, `${tag} election page`);
      await page.getByRole('link', { name: t.elections.vote }).click();
      await page.getByTestId('vote-blocked').getByText(t.elections.notOnRoll).waitFor();
      // a non-member is told "not a member of this association"
      await signOut();

      s.stage = 'the member votes with the e-mail code';
      await signIn('0061234567', 'Anjoman-Demo-1403');
      await openElection();
      await page.getByRole('link', { name: t.elections.vote }).click();
      await page.getByTestId('remaining').waitFor();
      expect.soft(/\d|[۰-۹]/.test(await page.getByTestId('remaining').innerText()), `${tag}: the remaining time is shown`).toBeTruthy();
      await axe(page, `${tag} vote: channel`);
      await page.getByRole('button', { name: t.elections.next }).click();
      const boxes = page.getByRole('checkbox');
      await boxes.first().waitFor();
      await boxes.nth(0).check();
      await boxes.nth(1).check();
      await boxes.nth(4).check();
      await axe(page, `${tag} vote: choices`);
      await page.screenshot({ path: shot('19-vote-choices'), fullPage: true });
      await page.getByRole('button', { name: t.elections.review }).click();
      await page.getByTestId('review').waitFor();
      const mail = await smtp.waitFor('voter@example.ir');
      const otp = /(\d{6})/.exec(mail)?.[1];
      expect.soft(Boolean(otp), `${tag}: the voting code arrived by e-mail: ${mail}`).toBeTruthy();
      s.stage = 'the voter audits an encrypted ballot, then casts a fresh one';
      const sealedTracker = page.getByTestId('sealed-tracker');
      await sealedTracker.waitFor();
      const first = (await sealedTracker.innerText()).trim();
      await page.getByTestId('audit').click();
      await page.getByRole('dialog').getByRole('button', { name: t.elections.audit }).click();
      const audit = page.getByTestId('audit-result');
      await audit.waitFor();
      const audited = await audit.innerText();
      expect.soft(audited.includes(first) && audited.includes(fa ? 'همهٔ اثبات‌ها درست است' : 'every proof holds'), `${tag}: the audited ballot opens to the voter's choices, checked on the device: ${audited}`).toBeTruthy();
      await page.waitForFunction((old) => {
        const t = document.querySelector('[data-testid="sealed-tracker"]')?.textContent?.trim();
        return t && t !== old;
      }, first);
      const toCast = (await sealedTracker.innerText()).trim();
      expect.soft(toCast !== first && /^[A-Za-z0-9_-]{43}$/.test(toCast), `${tag}: the audited ballot is discarded and a new one sealed: ${`${first} / ${toCast}`}`).toBeTruthy();
      await page.locator('#vote-code').fill(fa ? persianDigits(otp) : otp);
      await page.waitForTimeout(400); // the cast button's colour transition as it becomes enabled
      await axe(page, `${tag} vote: review`);
      await page.screenshot({ path: shot('19b-vote-review-audit'), fullPage: true });
      await page.getByRole('button', { name: t.elections.cast }).click();
      const tracking = (await page.getByTestId('tracking-code').innerText()).trim();
      expect.soft(tracking === toCast, `${tag}: the tracking code is the hash of the ballot sealed on the review page: ${`${tracking} / ${toCast}`}`).toBeTruthy();
      await axe(page, `${tag} vote: done`);
      await noHorizontalScroll(page, `${tag} vote: done`);
      await page.screenshot({ path: shot('20-vote-done'), fullPage: true });
      const id = page.url().split('/elections/')[1]?.split('/')[0];
      const bulletin = await (await fetch(`${server.base}/api/v1/elections/${id}/bulletin`)).json();
      expect.soft(bulletin.tracking_codes.includes(tracking) && !bulletin.tracking_codes.includes(first), `${tag}: the tracking code is on the public bulletin: ${JSON.stringify(bulletin)}`).toBeTruthy();
      await page.getByTestId('find-on-bulletin').click();
      await page.getByTestId('bulletin-found').waitFor();
      // the voter finds the ballot in the public box by its tracking code
      await axe(page, `${tag} bulletin`);
      await noHorizontalScroll(page, `${tag} bulletin`);

      s.stage = 'no second ballot';
      await page.goto(`${server.base}/elections/${id}/vote`);
      await page.getByTestId('vote-blocked').waitFor();
      expect.soft((await page.getByTestId('vote-blocked').innerText()).includes(fa ? 'پیش‌تر ثبت شده' : 'already cast'), `${tag}: voting again is refused`).toBeTruthy();

      s.stage = 'the password is locked while the election is open';
      s.expected.add(409);
      await page.goto(`${server.base}/change-password`);
      await page.getByRole('heading', { level: 1, name: t.changePassword.title }).waitFor();
      await page.getByLabel(t.fields.currentPassword).fill('Anjoman-Demo-1403');
      await page.getByLabel(t.fields.newPassword).fill('Another-Pass-1405');
      await page.getByLabel(t.fields.passwordRepeat).fill('Another-Pass-1405');
      await page.getByRole('button', { name: t.changePassword.submit }).click();
      await page.getByRole('alert').getByText(fa ? 'پیش از آغاز رأی‌گیری' : 'before voting opens', { exact: false }).waitFor();
      // the voter is told the password changes only before voting opens
    });
  } finally {
    smtp.close();
  }
});
