/** A person requests membership, the association's admin approves, the person sees it. */
import { test, expect, axe } from './support/fixtures';
import { GOOD, randomNationalCode } from './support/data';

test('a membership is requested, approved, exported and the board is changed', async ({ scenario, lang, t }) => {
  await scenario({ label: 'membership' }, async (s) => {
    const { tag, shot, server, page, expected } = s;
    const { signIn, signOut } = s;
    s.stage = 'the person asks to join';
    const code = randomNationalCode();
    const res = await fetch(`${server.base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ national_code: code, password: GOOD, first_name: 'کاوه', last_name: 'آهنگر' }),
    });
    expect.soft(res.status === 201, `${tag}: person registered: ${String(res.status)}`).toBeTruthy();
    await signIn(code, GOOD);
    await page.goto(`${server.base}/associations`);
    await axe(page, `${tag} associations`);
    await page.getByTestId('association-list').getByText('انجمن انفورماتیک پزشکی ایران').click();
    await page.getByRole('heading', { level: 1, name: 'انجمن انفورماتیک پزشکی ایران' }).waitFor();
    await page.locator('form').getByRole('button', { name: t.associations.request }).click();
    await page.getByTestId('membership-status').getByText(t.associations.statuses.pending).waitFor();
    // request recorded as pending
    await axe(page, `${tag} association page`);
    await page.screenshot({ path: shot('13-membership-requested'), fullPage: true });
    await signOut();

    s.stage = "the association's admin approves";
    await signIn('0067749828', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/associations`);
    await page.getByTestId('association-list').getByText('انجمن انفورماتیک پزشکی ایران').click();
    await page.getByRole('link', { name: t.associations.manage }).click();
    const row = page.getByTestId('member-rows').locator('tr', { hasText: 'کاوه آهنگر' });
    await row.waitFor();
    await axe(page, `${tag} members`);
    await page.screenshot({ path: shot('14-members'), fullPage: true });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: t.associations.export }).click(),
    ]);
    const csvPath = await download.path();
    const csv = (await import('node:fs')).readFileSync(csvPath, 'utf8');
    expect.soft(csv.includes(code) && csv.includes('کاوه'), `${tag}: CSV export lists the request: ${csv.slice(0, 200)}`).toBeTruthy();
    await row.getByRole('button', { name: t.associations.approve }).click();
    await row.waitFor({ state: 'detached' });
    // approved and gone from the pending list

    s.stage = 'the admin records a member new to the system';
    const newcomer = randomNationalCode();
    const registerLabel = t.associations.registerMember;
    await page.getByRole('button', { name: registerLabel }).click();
    await page.locator('#register-national-code').fill(newcomer);
    await page.locator('#register-first-name').fill('مینا');
    await page.locator('#register-last-name').fill('نوآمده');
    await page.locator('#register-email').fill(`n${newcomer}@example.ir`);
    await page.waitForTimeout(400); // the dialog's fade-in, so contrast is judged at full opacity
    await axe(page, `${tag} register a new member`);
    await page.getByRole('dialog').getByRole('button', { name: registerLabel }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const claim = await fetch(`${server.base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ national_code: newcomer, password: GOOD, first_name: 'x', last_name: 'y' }),
    });
    const claimBody = await claim.json();
    expect.soft(claim.status === 409 && claimBody.code === 'record_claim_by_recovery', `${tag}: the new member is recorded, to be claimed through recovery: ${`${claim.status} ${claimBody.code}`}`).toBeTruthy();

    s.stage = 'the admin assigns a board position';
    await page.goto(`${server.base}/associations`);
    await page.getByTestId('association-list').getByText('انجمن انفورماتیک پزشکی ایران').click();
    // The demo board has a president: the admin ends that term first, after confirming.
    const sitting = page.getByTestId('board-current').locator('li', { hasText: lang === 'fa' ? /^رئیس:/ : /^President:/ });
    const former = (await sitting.innerText()).split('\n')[0].split(':')[1].trim();
    await sitting.getByRole('button', { name: t.associations.closeTerm }).click();
    await page.getByRole('dialog').getByText(former, { exact: false }).waitFor();
    await page.waitForTimeout(400); // the dialog's fade-in, so contrast is judged at full opacity
    await axe(page, `${tag} close-term confirmation`);
    await page.getByRole('dialog').getByRole('button', { name: t.associations.closeTerm }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await sitting.waitFor({ state: 'detached' });
    // the closed term leaves the current board
    await page.locator('#seat-national-code').fill(code);
    await page.getByRole('button', { name: t.associations.assign }).click();
    await page.getByTestId('board-current').getByText('کاوه آهنگر', { exact: false }).waitFor();
    await axe(page, `${tag} association page (admin)`);
    await page.screenshot({ path: shot('14b-board'), fullPage: true });
    await signOut();

    s.stage = 'the board is public';
    await page.goto(`${server.base}/associations`);
    await page.getByTestId('association-list').getByText('انجمن انفورماتیک پزشکی ایران').click();
    const president = lang === 'fa' ? 'رئیس: کاوه آهنگر' : 'President: کاوه آهنگر';
    await page.getByTestId('board-current').getByText(president).waitFor();
    // the board shows on the public page

    s.stage = 'the person sees it';
    await signIn(code, GOOD);
    await page.getByTestId('my-memberships').getByText(t.associations.statuses.approved).waitFor();
    // the person sees "approved"
    await page.screenshot({ path: shot('15-membership-approved'), fullPage: true });
    await signOut();

    s.stage = 'someone registering with the recorded code is sent to recovery';
    expected.add(409);
    await page.goto(`${server.base}/register`);
    await page.locator('#national_code').fill(newcomer);
    await page.locator('#first_name').fill('Other');
    await page.locator('#last_name').fill('Person');
    await page.locator('#password').fill(GOOD);
    await page.locator('#password_repeat').fill(GOOD);
    await page.locator('#captcha_answer').fill('12345');
    await page.locator('form').getByRole('button', { name: t.register.submit }).click();
    await page.getByTestId('claim-by-recovery').click();
    await page.waitForURL(/\/forgot-password$/);
    // a recorded code's registration points to "forgot password"

    s.stage = 'the public status check';
    await page.goto(`${server.base}/associations`);
    await page.getByRole('link', { name: t.associations.statusCheck }).click();
    await page.getByRole('heading', { level: 1, name: t.associations.statusCheck }).waitFor();
    await page.locator('#national_code').fill(code);
    await page.locator('#captcha_answer').fill('12345');
    await page.locator('form').getByRole('button', { name: t.associations.check }).click();
    await page.getByTestId('status-answer').getByText(t.associations.statuses.approved).waitFor();
    // the public check shows "approved"
    await axe(page, `${tag} status check`);
  });
});
