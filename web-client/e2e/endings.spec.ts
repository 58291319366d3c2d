/**
 * Ending things: the association's admin removes a member with a reason (confirmed first) and
 * reads the membership's history; another member leaves from their profile; the directorate
 * suspends a demo officer's qualification from the register, reinstates it and reads its history.
 */
import { test, expect, axe, noHorizontalScroll } from './support/fixtures';
import { GOOD, randomNationalCode } from './support/data';

test('suspensions, revocations and their appeals', async ({ scenario, lang, t }) => {
  await scenario({ label: 'endings' }, async (s) => {
    const { tag, shot, server, page } = s;
    const { signIn, signOut } = s;
    const fa = lang === 'fa';
    const api = async (path, token, body = undefined) => {
      const res = await fetch(`${server.base}${path}`, {
        method: body ? 'POST' : 'GET',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: await res.json().catch(() => null) };
    };

    s.stage = 'two members of the demo association';
    const admin = (await api('/api/v1/auth/login', null, { national_code: '0067749828', password: 'Anjoman-Demo-1403' })).body.access_token;
    const list = (await api('/api/v1/associations?per_page=100', null)).body.items;
    const assoc = list.find((a) => a.name === 'انجمن انفورماتیک پزشکی ایران');
    const full = (await api(`/api/v1/associations/${assoc.id}`, null)).body;
    const qual = full.qualifications[0];
    const people = [];
    for (const [first, last] of [['بردیا', 'رفتنی'], ['ترانه', 'خداحافظ']]) {
      const code = randomNationalCode();
      const reg = await api('/api/v1/auth/register', null, { national_code: code, password: GOOD, first_name: first, last_name: last });
      const added = await api(`/api/v1/associations/${assoc.id}/members`, admin, { national_code: code, field: qual.field, degree_level: qual.degree_level });
      expect.soft(reg.status === 201 && added.status === 201, `${tag}: member ${first} recorded: ${`${reg.status} ${added.status}`}`).toBeTruthy();
      people.push({ code, name: `${first} ${last}` });
    }
    const [removed, leaver] = people;

    s.stage = 'the admin removes a member with a reason';
    await signIn('0067749828', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/associations/${assoc.id}/members`);
    await page.locator('#members-status').click();
    await page.getByRole('option', { name: t.admin.all }).click();
    await page.getByRole('listbox').waitFor({ state: 'detached' });
    await page.locator('#members-search').fill(removed.code);
    const row = page.getByTestId('member-rows').locator('tr', { hasText: removed.name });
    await row.waitFor();
    await row.getByRole('button', { name: t.associations.removeMember }).click();
    const dialog = page.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: t.associations.removeMember });
    expect.soft(await confirm.isDisabled(), `${tag}: removal waits for a reason`).toBeTruthy();
    const why = fa ? 'درخواست کتبی هیئت‌مدیره' : 'Written decision of the board';
    await dialog.locator('#end-reason').fill(why);
    await page.waitForTimeout(400); // the dialog's fade-in, so contrast is judged at full opacity
    await axe(page, `${tag} remove member`);
    await confirm.click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText(fa ? `عضویت ${removed.name} لغو شد.` : `${removed.name} was removed.`).waitFor();
    await row.getByText(t.associations.statuses.removed, { exact: true }).waitFor();
    // the member is removed
    await row.getByRole('button', { name: t.officers.history }).click();
    const history = page.getByTestId('membership-history');
    await history.getByText(why, { exact: false }).waitFor();
    expect.soft((await history.locator('li').count()) >= 2, `${tag}: the history keeps the approval and the removal: ${String(await history.locator('li').count())}`).toBeTruthy();
    await page.waitForTimeout(400);
    await axe(page, `${tag} membership history`);
    await page.screenshot({ path: shot('30-membership-history'), fullPage: true });
    await page.getByRole('dialog').getByRole('button', { name: t.admin.close }).click();
    await noHorizontalScroll(page, `${tag} members`);

    s.stage = "the association's admin reads its part of the audit log";
    await s.openMenu();
    await page.getByRole('link', { name: t.nav.auditLog }).first().click();
    await page.waitForURL(/\/admin\/audit-log$/);
    await page.locator('#filter-action').fill('membership.removed');
    await page.getByRole('button', { name: t.admin.filter }).click();
    await page.getByRole('cell', { name: `association:${assoc.id}` }).first().waitFor();
    // the admin reads the removal in the association's audit log
    await axe(page, `${tag} scoped audit log`);
    await signOut();

    s.stage = 'a member leaves from their profile';
    await signIn(leaver.code, GOOD);
    const mine = page.getByTestId('my-memberships');
    await mine.getByText(t.associations.statuses.approved).waitFor();
    await mine.getByRole('button', { name: t.associations.leave }).click();
    await page.getByRole('dialog').getByText(fa ? 'رأی نخواهید داشت' : 'no vote', { exact: false }).waitFor();
    await page.waitForTimeout(400);
    await axe(page, `${tag} leave association`);
    await page.getByRole('dialog').getByRole('button', { name: t.associations.leaveConfirm, exact: true }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await mine.getByText(t.associations.statuses.left, { exact: true }).waitFor();
    expect.soft((await mine.getByRole('button', { name: t.associations.leave }).count()) === 0, `${tag}: the member has left`).toBeTruthy();
    await noHorizontalScroll(page, `${tag} profile after leaving`);
    await signOut();

    s.stage = 'the directorate suspends and reinstates a qualification';
    await signIn('0499370899', 'Anjoman-Demo-1403');
    await s.openMenu();
    await page.getByRole('link', { name: t.nav.qualified, exact: true }).first().click();
    await page.waitForURL(/\/qualified-officers$/);
    await page.getByRole('heading', { level: 1, name: t.qualified.title }).waitFor();
    await page.locator('#qualified-search').fill('0074567896');
    const officer = page.getByTestId('qualified-rows').locator('tr', { hasText: 'مهسا پاکزاد' });
    await officer.getByText(t.qualified.standings.active, { exact: true }).waitFor();
    await axe(page, `${tag} qualified officers`);
    await noHorizontalScroll(page, `${tag} qualified officers`);
    const act = async (button, reason) => {
      await officer.getByRole('button', { name: button, exact: true }).click();
      await page.locator('#standing-reason').fill(reason);
      await page.waitForTimeout(400);
      await axe(page, `${tag} ${button}`);
      await page.getByRole('dialog').getByRole('button', { name: button, exact: true }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
    };
    await act(t.qualified.suspend, fa ? 'گزارش بازرسی استان' : 'Provincial inspection report');
    await officer.getByText(t.qualified.standings.suspended, { exact: true }).waitFor();
    // the qualification is suspended
    await page.screenshot({ path: shot('31-qualification-suspended'), fullPage: true });
    await act(t.qualified.reinstate, fa ? 'رسیدگی شد' : 'Looked into and cleared');
    await officer.getByText(t.qualified.standings.active, { exact: true }).waitFor();
    await officer.getByRole('button', { name: t.officers.history }).click();
    const steps = page.getByTestId('standing-history');
    await steps.getByText(fa ? 'رسیدگی شد' : 'Looked into and cleared', { exact: false }).waitFor();
    expect.soft((await steps.locator('li').count()) === 2, `${tag}: the standing history lists both changes: ${String(await steps.locator('li').count())}`).toBeTruthy();
  });
});
