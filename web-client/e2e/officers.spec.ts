import { test, expect, axe, noHorizontalScroll } from './support/fixtures';
import { GOOD, randomNationalCode } from './support/data';
import { payInSandbox } from './support/flows';

test('a technical officer is qualified through deficiencies, a fix, approval and the fee', async ({ scenario, lang, t }) => {
  await scenario({ label: 'officers' }, async (s) => {
    const { tag, shot, server, page } = s;
    const fa = lang === 'fa';
    const { signIn, signOut } = s;
    const T = {
      register: t.officers.registerButton,
      submitQ: t.officers.submitQualification,
      send: t.officers.submit,
      deficiencies: t.reviews.deficiencies,
      resubmit: t.officers.resubmit,
      approve: t.reviews.approve,
      pay: t.officers.pay,
      tehran: 'تهران',
      returned: t.reviews.filters.returned,
      fresh: t.reviews.filters.new,
    };
    const pdf = { name: 'degree.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n') };
    const status = async (text) => page.getByTestId('request-status').getByText(text).waitFor();

    s.stage = 'a new officer registers and submits the qualification request';
    const code = randomNationalCode();
    await fetch(`${server.base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ national_code: code, password: GOOD, first_name: 'Nasrin', last_name: 'Ahmadi', mobile: `0935${code.slice(0, 7)}`, email: `${code}@example.ir` }),
    });
    const login = await (await fetch(`${server.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ national_code: code, password: GOOD }) })).json();
    await fetch(`${server.base}/api/v1/me`, { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Bearer ${login.access_token}` }, body: JSON.stringify({ birth_date: '1988-06-01' }) });
    await signIn(code, GOOD);
    await page.getByTestId('officer-link').click();
    await page.getByRole('heading', { level: 2, name: t.officers.register }).waitFor();
    await page.locator('#officer-father').fill(fa ? 'محمود' : 'Mahmoud');
    await page.locator('#officer-id-card').fill('4321');
    await page.locator('#officer-province').click();
    await page.getByRole('option', { name: T.tehran, exact: true }).click();
    // The city is searched as typed, with the Arabic yeh folded (over a thousand cities).
    await page.locator('#officer-city').fill('ري');
    await page.getByRole('option', { name: 'ری', exact: true }).click();
    await page.locator('#officer-address').fill(fa ? 'تهران، ری، خیابان فدائیان اسلام، پلاک ۴' : 'Rey, Fadaian-e Eslam St., No. 4, Tehran');
    await page.locator('#officer-qualification').click();
    await page.getByRole('option', { name: /مهندسی پزشکی/ }).first().click();
    await page.getByRole('listbox').waitFor({ state: 'detached' });
    await page.getByTestId('officer-document').setInputFiles(pdf);
    await page.getByRole('button', { name: 'degree.pdf' }).waitFor();
    await page.waitForTimeout(400); // the select menu's fade-out
    await axe(page, `${tag} officer registration`);
    await page.screenshot({ path: shot('22-officer-register'), fullPage: true });
    await page.getByRole('button', { name: T.register, exact: true }).click();
    await page.getByTestId('qualified').waitFor();
    await page.getByRole('button', { name: T.submitQ }).click();
    await page.getByRole('dialog').getByRole('button', { name: T.send }).click();
    await status(t.officers.statuses.submitted);
    // the officer registered and the request is in Tehran's queue
    await axe(page, `${tag} officer tracking`);
    await noHorizontalScroll(page, `${tag} officer tracking`);
    await signOut();

    s.stage = 'the reviewer declares deficiencies';
    await signIn('0071234561', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/reviews`);
    await page.getByTestId('review-queue').getByText('Nasrin Ahmadi', { exact: false }).click();
    await page.getByTestId('review-status').waitFor();
    await axe(page, `${tag} review request`);
    await page.getByRole('button', { name: T.deficiencies }).click();
    await page.locator('#decision-text').fill(fa ? 'تصویر مدرک تحصیلی خوانا نیست' : 'The degree scan is not legible');
    await page.getByRole('dialog').getByRole('button', { name: T.deficiencies }).click();
    await page.getByTestId('review-status').getByText(t.officers.statuses.deficient).waitFor();
    await signOut();

    s.stage = 'the officer fixes it';
    await signIn(code, GOOD);
    await page.goto(`${server.base}/officer`);
    const deficiencies = await page.getByTestId('deficiencies').innerText();
    expect.soft(deficiencies.includes(fa ? 'خوانا نیست' : 'not legible'), `${tag}: the officer sees the deficiency list: ${deficiencies}`).toBeTruthy();
    await page.getByTestId('fix-document').setInputFiles({ ...pdf, name: 'degree-clear.pdf' });
    await page.getByRole('button', { name: 'degree-clear.pdf' }).waitFor();
    await page.getByRole('button', { name: T.resubmit }).click();
    await status(t.officers.statuses.resubmitted);
    await signOut();

    s.stage = 'the same reviewer finds it returned and approves';
    await signIn('0071234561', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/reviews`);
    await page.getByRole('tab', { name: T.returned }).click();
    await page.getByTestId('review-queue').getByText('Nasrin Ahmadi', { exact: false }).click();
    await page.getByRole('button', { name: T.approve, exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: T.approve }).click();
    await page.getByTestId('review-status').getByText(t.officers.statuses.awaiting_payment).waitFor();
    // the same reviewer approved after the fix
    await signOut();

    s.stage = 'the officer pays in the sandbox gateway and is qualified';
    await signIn(code, GOOD);
    await page.goto(`${server.base}/officer`);
    await page.getByTestId('fee').waitFor();
    await axe(page, `${tag} officer fee`);
    await page.getByRole('button', { name: T.pay }).click();
    await payInSandbox(page, t);
    await page.goto(`${server.base}/officer`);
    const qualified = await page.getByTestId('qualified').innerText();
    expect.soft(qualified.includes(fa ? 'احراز صلاحیت از' : 'Qualified since'), `${tag}: qualified once the payment is verified: ${qualified}`).toBeTruthy();
    await axe(page, `${tag} officer qualified`);
    await page.screenshot({ path: shot('23-officer-qualified'), fullPage: true });

    s.stage = "the qualified officer corrects the father's name and ID-card number without an amendment";
    await page.locator('#contact-father').fill('محمدرضا');
    await page.locator('#contact-id-card').fill('۱۲۳۴۵۶');
    await page.getByRole('button', { name: t.profile.save }).click();
    await page.getByText(t.profile.saved).waitFor();
    await page.reload();
    await page.locator('#contact-father').waitFor();
    expect.soft(await page.locator('#contact-father').inputValue(), `${tag}: the father's name is kept`).toBe('محمدرضا');
    expect.soft(await page.locator('#contact-id-card').inputValue(), `${tag}: the ID-card number is kept in ASCII digits`).toBe('123456');

    s.stage = 'the name and birth date cannot change on the profile page: they change only by amendment, or never';
    await page.goto(`${server.base}/profile`);
    const first = page.locator('#first_name');
    await first.waitFor();
    expect.soft(await first.getAttribute('readonly'), `${tag}: the officer's first name is read-only on the profile`).not.toBeNull();
    await page.getByText(t.profile.protectedBy.by_amendment).first().waitFor();
    await page.getByText(t.profile.protectedBy.never).first().waitFor();
    await page.waitForTimeout(400); // the sessions' buttons fade in once the list arrives
    await axe(page, `${tag} profile of an officer`);
  });
});
