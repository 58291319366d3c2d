import { test, expect, axe, noHorizontalScroll } from './support/fixtures';
import { persianDigits, PNG, PDF, membersCsv } from './support/data';

test('news, messages and a members import', async ({ scenario, lang, t }) => {
  await scenario({ label: 'news/messages' }, async (s) => {
    const { tag, phone, shot, server, page, expected } = s;
    const fa = lang === 'fa';
    const { signIn, signOut } = s;
    const openAssociation = async () => {
      await page.goto(`${server.base}/associations`);
      await page.getByTestId('association-list').getByText('انجمن انفورماتیک پزشکی ایران').click();
      await page.getByRole('heading', { level: 1, name: 'انجمن انفورماتیک پزشکی ایران' }).waitFor();
    };

    s.stage = 'the admin sets a logo';
    await signIn('0067749828', 'Anjoman-Demo-1403');
    await openAssociation();
    await page.getByRole('button', { name: t.associations.editProfile }).click();
    await page.getByTestId('logo-input').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG });
    await page.getByRole('dialog').getByRole('img').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: t.profile.save }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const logo = page.getByRole('img', { name: t.associations.logo });
    await logo.waitFor();
    expect.soft((await logo.getAttribute('src'))?.startsWith('/api/v1/files/'), `${tag}: the logo shows on the association page`).toBeTruthy();

    s.stage = 'the admin publishes news';
    const headline = `${fa ? 'خبر آزمایشی' : 'Test news'} ${Date.now()}`;
    await page.getByRole('button', { name: t.news.write }).click();
    await page.locator('#news-title').fill(headline);
    await page.locator('#news-body').fill('نخستین بند خبر.\nبند دوم خبر.');
    await page.getByTestId('news-image-input').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
    await page.getByRole('dialog').locator('img').waitFor();
    await page.locator('#news-publish').check();
    await axe(page, `${tag} news editor`);
    await page.getByRole('dialog').getByRole('button', { name: t.profile.save }).click();
    await page.getByTestId('news-admin-list').getByText(headline).waitFor();
    await page.screenshot({ path: shot('16-news-admin'), fullPage: true });

    s.stage = 'the admin imports members from CSV';
    await page.getByRole('link', { name: t.associations.manage }).click();
    await page.getByRole('button', { name: t.import.title }).click();
    expected.add(400);
    await page.getByTestId('import-input').setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: membersCsv(20, [7]) });
    const rejectedRow = page.getByTestId('import-rejected').locator('tr');
    await rejectedRow.first().waitFor();
    expect.soft((await rejectedRow.count()) === 1 && (await rejectedRow.first().innerText()).includes(fa ? '۸' : '8'), `${tag}: the one bad row is reported by its line: ${await rejectedRow.first().innerText()}`).toBeTruthy();
    await axe(page, `${tag} import report`);
    await page.screenshot({ path: shot('17-import-rejected'), fullPage: true });
    const rows = phone ? 1000 : 10000;
    await page.getByTestId('import-input').setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: membersCsv(rows) });
    const confirm = page.getByRole('button', { name: fa ? `ثبت ${persianDigits(String(rows))} عضو` : `Import ${rows} members` });
    await confirm.waitFor({ timeout: 60_000 });
    await confirm.click();
    await page.getByRole('dialog').getByRole('status').getByText(fa ? 'عضو ثبت شد' : 'members were imported').waitFor({ timeout: 120_000 });
    // ${rows} members imported after the check
    await page.getByRole('dialog').getByRole('button', { name: t.messages.close }).click();
    await page.locator('#members-status').click();
    await page.getByRole('option', { name: t.associations.statuses.approved }).click();
    await page.locator('#members-search').fill(`شمارهٔ ${rows}`);
    await page.getByTestId('member-rows').getByText(`عضو شمارهٔ ${rows}`, { exact: true }).waitFor();
    await signOut();

    s.stage = 'the news is public';
    await page.goto(`${server.base}/news`);
    await page.getByRole('heading', { level: 1, name: t.news.title }).waitFor();
    await page.getByTestId('news-card').filter({ hasText: headline }).click();
    await page.getByRole('heading', { level: 1, name: headline }).waitFor();
    await page.getByText('بند دوم خبر.').waitFor();
    // published news is visible publicly
    await axe(page, `${tag} news item`);
    await noHorizontalScroll(page, `${tag} news item`);

    s.stage = 'the commission writes a letter';
    const subject = `${fa ? 'نامهٔ آزمایشی' : 'Test letter'} ${Date.now()}`;
    await signIn('0084575948', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/messages`);
    await page.getByRole('heading', { level: 1, name: t.messages.title }).waitFor();
    await page.getByRole('tab', { name: t.messages.commission }).click();
    await page.getByRole('button', { name: t.messages.compose }).click();
    await page.locator('#message-associations').fill('انفورماتیک');
    await page.getByRole('option', { name: 'انجمن انفورماتیک پزشکی ایران' }).click();
    await page.locator('#message-subject').fill(subject);
    await page.locator('#message-body').fill('متن نامهٔ کمیسیون.');
    await page.getByTestId('attachment-input').setInputFiles({ name: 'circular.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('dialog').getByText('circular.pdf').waitFor();
    await axe(page, `${tag} compose`);
    await page.getByRole('dialog').getByRole('button', { name: t.messages.send }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: t.messages.sent }).click();
    await page.getByTestId('message-rows').getByText(subject).waitFor();
    await signOut();

    s.stage = "the association's inbox";
    await signIn('0067749828', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/messages`);
    await page.getByRole('tab', { name: /انجمن انفورماتیک پزشکی ایران/ }).click();
    const letter = page.getByTestId('message-rows').locator('tr', { hasText: subject });
    await letter.waitFor();
    expect.soft((await letter.getAttribute('data-unread')) === 'true', `${tag}: the letter arrives unread`).toBeTruthy();
    await axe(page, `${tag} inbox`);
    await page.screenshot({ path: shot('18-inbox'), fullPage: true });
    await letter.getByRole('button', { name: subject }).click();
    await page.getByTestId('message-body').getByText('متن نامهٔ کمیسیون.').waitFor();
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('dialog').getByText('circular.pdf').click()]);
    expect.soft((await file.suggestedFilename()) === 'circular.pdf', `${tag}: the attachment downloads: ${await file.suggestedFilename()}`).toBeTruthy();
    await page.getByRole('dialog').getByRole('button', { name: t.messages.close }).click();
    await page.waitForFunction((subj) => [...document.querySelectorAll<HTMLElement>('[data-testid=message-rows] tr')].some((r) => r.textContent.includes(subj) && r.dataset.unread === 'false'), subject);
    // opened, the letter is read
    await noHorizontalScroll(page, `${tag} inbox`);
  });
});
