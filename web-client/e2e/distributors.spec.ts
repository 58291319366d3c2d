import { test, expect, axe } from './support/fixtures';

test('a distributor, its branch and the officer cooperation', async ({ scenario, lang, t }) => {
  await scenario({ label: 'distributors' }, async (s) => {
    const { tag, shot, server, page } = s;
    const fa = lang === 'fa';
    const { signIn, signOut } = s;
    const T = {
      add: t.distributors.addBranch,
      accept: t.cooperation.accept,
      approve: t.associations.approve,
      cooperation: t.reviews.filters.cooperation,
      end: t.cooperation.terminate,
    };
    const branch = fa ? 'شعبهٔ ری' : 'Rey branch';

    s.stage = 'the manager adds a branch and names a qualified officer';
    await signIn('0081234562', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/distributor`);
    await page.getByTestId('branches').waitFor();
    await page.locator('#branch-name').fill(branch);
    await page.locator('#branch-province').click();
    await page.getByRole('option', { name: 'تهران', exact: true }).click();
    // The city is searched as typed, with the Arabic yeh folded (over a thousand cities).
    await page.locator('#branch-city').fill('ري');
    await page.getByRole('option', { name: 'ری', exact: true }).click();
    await page.locator('#branch-address').fill(fa ? 'ری، میدان شهرداری، پلاک ۷' : 'Rey, Shahrdari Sq., No. 7');
    await page.locator('#branch-officer').fill('0074567896');
    await page.getByRole('listbox').waitFor({ state: 'detached' });
    await page.waitForTimeout(400);
    await axe(page, `${tag} distributor`);
    await page.getByRole('button', { name: T.add }).last().click();
    await page.getByTestId('branches').getByText(branch).waitFor();
    expect.soft((await page.getByTestId('cooperation-archive').innerText()).includes('مهسا پاکزاد'), `${tag}: the branch is added with a cooperation request`).toBeTruthy();
    await page.screenshot({ path: shot('24-distributor'), fullPage: true });
    await signOut();

    s.stage = 'the officer accepts';
    await signIn('0074567896', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/officer`);
    await page.getByTestId('cooperations').getByRole('button', { name: T.accept, exact: true }).click();
    await page.getByTestId('cooperations').getByText(t.cooperation.statuses.awaiting_university).waitFor();
    await axe(page, `${tag} officer cooperation`);
    await signOut();

    s.stage = "Tehran's university approves";
    await signIn('0071234561', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/reviews`);
    await page.getByRole('tab', { name: T.cooperation }).click();
    await page.getByTestId('cooperation-queue').getByText('مهسا پاکزاد', { exact: false }).waitFor();
    await page.getByTestId('cooperation-queue').getByRole('button', { name: T.approve }).first().click();
    await page.getByRole('dialog').getByRole('button', { name: T.approve }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await signOut();

    s.stage = 'the officer ends it; the manager is texted';
    await signIn('0074567896', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/officer`);
    await page.getByTestId('cooperations').getByText(t.cooperation.statuses.active).waitFor();
    await page.getByTestId('cooperations').getByRole('button', { name: T.end }).click();
    await page.getByRole('dialog').getByRole('button', { name: T.end }).click();
    await page.getByTestId('cooperations').getByText(t.cooperation.statuses.terminated).waitFor();
    // the officer ended the cooperation
    const admin = await (await fetch(`${server.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ national_code: '0084575948', password: 'Anjoman-Demo-1403' }) })).json();
    // The manager (mobile 09121110001) was texted twice: the approval, then the ending.
    const outbox = await (await fetch(`${server.base}/api/v1/outbox?channel=sms&recipient=09121110001&per_page=100`, { headers: { authorization: `Bearer ${admin.access_token}` } })).json();
    const texted = outbox.items.filter((m) => m.purpose === 'cooperation');
    expect.soft(texted.length === 2, `${tag}: the manager's SMS about the ending is in the outbox: ${JSON.stringify(outbox.items.map((m) => [m.purpose, m.created_at]))}`).toBeTruthy();
    await signOut();

    s.stage = 'the directorate names a reviewer for Fars';
    await signIn('0499370899', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/reviews`);
    await page.getByTestId('directorate-settings').waitFor();
    await page.locator('#reviewer-province').click();
    await page.getByRole('option', { name: /^فارس/ }).click();
    await page.getByRole('listbox').waitFor({ state: 'detached' });
    await page.locator('#reviewer-code').fill('1234567891');
    await page.getByRole('button', { name: t.reviews.addReviewer }).click();
    await page.getByText(t.reviews.reviewerAdded).waitFor();
    await page.waitForTimeout(400);
    await axe(page, `${tag} directorate settings`);
    // the directorate named a reviewer
  });
});
