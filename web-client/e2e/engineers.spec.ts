import { test, expect, axe, noHorizontalScroll } from './support/fixtures';
import { ssoEnv } from './support/servers';
import { PNG } from './support/data';
import { payInSandbox, signInWithSso } from './support/flows';

test('an engineer signs in through the SSO, renews and pays', async ({ scenario, lang, t }) => {
  const sso = await ssoEnv();
  try {
    await scenario({ label: 'engineers', env: sso.env }, async (s) => {
      const { tag, shot, server, page, signIn, signOut } = s;
      const fa = lang === 'fa';
      const T = {
      request: t.engineers.renewal.request,
      underReview: fa ? 'در دست بررسی' : 'under review',
      education: t.engineers.tabs.education,
      addDegree: t.engineers.degrees.add,
      save: t.engineers.save,
      contacts: t.engineers.tabs.contacts,
      addAddress: t.engineers.addresses.add,
      debt: t.engineering.assess.open,
      send: t.engineering.assess.send,
      pay: fa ? /^پرداخت / : /^Pay /,
      renewed: fa ? 'تمدید شد' : 'Renewed',
    };
      // The provider's development pages ask for a web font; there is no internet here.
      await s.context.route('https://fonts.googleapis.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/css', body: '' }));
      const ssoSignIn = (code: string) => signInWithSso(page, t, server.base, code);

      s.stage = 'an imported engineer without an account signs in through the government SSO';
      await page.goto(`${server.base}/login`);
      await axe(page, `${tag} login with SSO`);
      await ssoSignIn('0095678913');
      await page.getByRole('heading', { level: 1, name: t.engineers.title }).waitFor();
      const who = await page.getByText('کامران سپهری').innerText();
      expect.soft(who.includes('کامران'), `${tag}: the SSO login reached the engineer's own record: ${who}`).toBeTruthy();
      await axe(page, `${tag} engineer portal`);
      await noHorizontalScroll(page, `${tag} engineer portal`);

      s.stage = 'the engineer requests a renewal and sees it under review';
      await page.getByRole('button', { name: T.request }).click();
      const status = await page.getByTestId('renewal-status').innerText();
      expect.soft(status.includes(T.underReview), `${tag}: the renewal is under review: ${status}`).toBeTruthy();

      s.stage = 'a degree without its image is refused, then added with it';
      await page.getByRole('tab', { name: T.education }).click();
      await page.getByRole('button', { name: T.addDegree }).click();
      const dialog = page.getByRole('dialog');
      await dialog.locator('#degree-orientation').fill(fa ? 'سازه' : 'Structures');
      await dialog.locator('#degree-university').fill(fa ? 'دانشگاه صنعتی امیرکبیر' : 'Amirkabir University of Technology');
      await dialog.locator('.MuiPickersSectionList-root').first().locator('[role="spinbutton"]').first().click();
      await page.keyboard.type(fa ? '13920410' : '01072013');
      await dialog.locator('#degree-inquiry').fill('AUT-92-1187');
      s.expected.add(400);
      await dialog.getByRole('button', { name: T.save }).click();
      const required = fa ? 'بارگذاری تصویر مدرک تحصیلی اجباری است' : 'The degree image is required';
      await dialog.getByText(required, { exact: false }).first().waitFor();
      s.expected.delete(400);
      // a degree without its image is refused
      await dialog.getByTestId('degree-image').setInputFiles({ name: 'degree.png', mimeType: 'image/png', buffer: PNG });
      await dialog.getByText(t.engineers.degrees.imageAttached).waitFor();
      await page.waitForTimeout(400); // the upload button's change of style
      await axe(page, `${tag} degree dialog`);
      await dialog.getByRole('button', { name: T.save }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByText(fa ? 'دانشگاه صنعتی امیرکبیر' : 'Amirkabir University of Technology', { exact: false }).waitFor();
      // the degree is saved with its image

      s.stage = 'the legal domicile becomes the correspondence address (guide 004: letters go there)';
      await page.getByRole('tab', { name: T.contacts }).click();
      await page.getByRole('button', { name: T.addAddress }).click();
      await page.getByText(t.engineers.addresses.lettersToDomicile).waitFor();
      await page.locator('#address-kind').click();
      await page.getByRole('option', { name: t.engineers.addressKinds.legal_domicile }).click();
      await page.getByRole('listbox').waitFor({ state: 'detached' });
      await page.locator('#address-province').click();
      await page.getByRole('option', { name: 'تهران', exact: true }).click();
      await page.getByRole('listbox').waitFor({ state: 'detached' });
      await page.locator('#address-city').fill('تهران');
      await page.locator('#address-text').fill('تهران، خیابان شریعتی، کوچهٔ یاس، پلاک ۸');
      await page.locator('#address-postal').fill('1611713111');
      await page.getByRole('dialog').getByRole('button', { name: T.save }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await page.getByText(t.engineers.addresses.correspondenceChip, { exact: true }).first().waitFor();
      await page.waitForTimeout(400);
      await axe(page, `${tag} contacts and addresses`);
      await page.screenshot({ path: shot('30-engineer-record'), fullPage: true });
      await signOut();

      s.stage = "the province's expert refuses the request with a reason, and the engineer asks again";
      await signIn('0091234565', 'Anjoman-Demo-1403');
      await page.goto(`${server.base}/engineering`);
      await page.getByText('کامران سپهری', { exact: false }).waitFor();
      await page.getByRole('button', { name: T.debt }).click();
      await page.locator('#reject-reason').fill('رسید بدهی سال گذشته در پرونده نیست');
      await page.getByRole('dialog').getByRole('button', { name: t.engineering.assess.reject }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await signOut();
      await ssoSignIn('0095678913');
      const refused = await page.getByTestId('renewal-status').innerText();
      expect.soft(refused.includes('رسید بدهی سال گذشته در پرونده نیست'), `${tag}: the engineer reads why the renewal was refused: ${refused}`).toBeTruthy();
      await axe(page, `${tag} renewal refused`);
      await page.getByRole('button', { name: T.request }).click();
      await page.getByTestId('renewal-status').getByText(T.underReview).waitFor();
      await signOut();

      s.stage = "the province's expert enters the prior debt";
      await signIn('0091234565', 'Anjoman-Demo-1403');
      await page.goto(`${server.base}/engineering`);
      await page.getByText('کامران سپهری', { exact: false }).waitFor();
      await axe(page, `${tag} renewal queue`);
      await page.getByRole('button', { name: T.debt }).click();
      await page.locator('#assess-debt').fill('2000000');
      const total = await page.getByTestId('assess-total').innerText();
      expect.soft(total.includes(fa ? '۱۴٬۰۰۰٬۰۰۰' : '14,000,000'), `${tag}: the expert sees fee × years + debt: ${total}`).toBeTruthy();
      await page.getByRole('dialog').getByRole('button', { name: T.send }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await signOut();

      s.stage = 'the engineer pays and the membership is extended';
      await ssoSignIn('0095678913');
      await page.getByTestId('renewal-status').getByText(fa ? '۱۴٬۰۰۰٬۰۰۰ ریال' : '14,000,000 rials').first().waitFor();
      await axe(page, `${tag} renewal amount`);
      await page.screenshot({ path: shot('31-engineer-renewal-amount'), fullPage: true });
      await page.getByRole('button', { name: T.pay }).click();
      await payInSandbox(page, t);
      await page.goto(`${server.base}/engineer`);
      const renewed = await page.getByText(T.renewed, { exact: false }).first().innerText();
      expect.soft(renewed.length > 0, `${tag}: the membership is renewed once paid: ${renewed}`).toBeTruthy();
    });
  } finally {
    sso.stop();
  }
});
