import { createHmac } from 'node:crypto';
import { test, expect, axe } from './support/fixtures';
import { startReceiver, until } from './support/servers';
import { GOOD, randomNationalCode } from './support/data';

test('an integration client, its webhooks and the public verification', async ({ scenario, lang, t }) => {
  const receiver = await startReceiver();
  try {
    await scenario({ label: 'integrations', env: { ANJOMAN_OUTBOX_POLL_MS: '200', ANJOMAN_WEBHOOK_PRIVATE_TARGETS: 'on' } }, async (s) => {
      const { tag, shot, server, page } = s;
      const fa = lang === 'fa';
      const T = {
      scope: t.integrations.scopes.members_verify,
      create: t.integrations.createKey,
      saved: t.integrations.secretSaved,
      rotate: t.integrations.rotate,
      revoke: t.integrations.revoke,
      revoked: t.integrations.keyStatus.revoked,
      event: t.integrations.events.membership_approved,
      subscribe: t.integrations.subscribe,
      deliveries: t.integrations.deliveries,
      sent: t.admin.statuses.sent,
      again: t.integrations.redeliver,
      need: fa ? 'دست‌کم یک دسترسی را انتخاب کنید.' : 'Choose at least one scope.',
    };
      const verify = (key) =>
        fetch(`${server.base}/api/v1/integrations/members/verify?association=medical-informatics&national_code=0061234567`, { headers: { 'x-api-key': key } });

      s.stage = 'the commission admin makes a key for a third party';
      await s.signIn('0084575948', 'Anjoman-Demo-1403');
      await page.goto(`${server.base}/admin/integrations`);
      await page.locator('#key-name').fill(fa ? 'کارگزینی دانشگاه تهران' : 'Tehran University HR');
      s.expected.add(400);
      await page.getByRole('button', { name: T.create }).click();
      await page.getByText(T.need).waitFor();
      // a key without scopes is refused with the reason beside the field
      await page.getByLabel(T.scope).check();
      await page.getByRole('button', { name: T.create }).click();
      const dialog = page.getByRole('dialog');
      await dialog.locator('#issued-secret').waitFor();
      const key = await dialog.locator('#issued-secret').inputValue();
      expect.soft(key.startsWith('anj_'), `${tag}: the secret is shown once: ${key}`).toBeTruthy();
      await axe(page, `${tag} key secret`);
      await page.screenshot({ path: shot('40-integrations-secret'), fullPage: true });
      await dialog.getByRole('button', { name: T.saved }).click();
      await dialog.waitFor({ state: 'detached' });
      const answer = await (await verify(key)).json();
      expect.soft(answer.member === true, `${tag}: the key verifies a member: ${JSON.stringify(answer)}`).toBeTruthy();
      const rows = page.getByTestId('key-rows');
      // anj_<id>_<secret>: the secret is everything after the second underscore (it may hold
      // underscores itself, so splitting on them would test a fragment).
      const keySecret = key.slice(key.indexOf('_', 'anj_'.length) + 1);
      const listed = await rows.innerText();
      expect.soft(keySecret.length === 32 && listed.includes(key.slice(0, 'anj_'.length + 16)) && !listed.includes(keySecret), `${tag}: the list shows the key's start, never its secret: ${listed}`).toBeTruthy();

      s.stage = 'rotate, then revoke, each confirmed';
      await rows.getByRole('button', { name: T.rotate }).click();
      await page.getByRole('dialog').getByRole('button', { name: T.rotate }).click();
      await page.getByRole('dialog').locator('#issued-secret').waitFor();
      const rotated = await page.getByRole('dialog').locator('#issued-secret').inputValue();
      await page.getByRole('dialog').getByRole('button', { name: T.saved }).click();
      expect.soft((await verify(key)).status === 401 && (await verify(rotated)).status === 200, `${tag}: after rotating the old secret is refused and the new one works`).toBeTruthy();
      await rows.getByRole('button', { name: T.revoke }).click();
      await page.getByRole('dialog').getByRole('button', { name: T.revoke }).click();
      await rows.getByText(T.revoked).waitFor();
      expect.soft((await verify(rotated)).status === 401, `${tag}: a revoked key is refused`).toBeTruthy();

      s.stage = 'subscribe a webhook and see it delivered';
      await page.locator('#hook-url').fill(receiver.url);
      await page.getByLabel(T.event).check();
      await page.getByRole('button', { name: T.subscribe, exact: true }).click();
      await page.getByRole('dialog').locator('#issued-secret').waitFor();
      const secret = await page.getByRole('dialog').locator('#issued-secret').inputValue();
      await page.getByRole('dialog').getByRole('button', { name: T.saved }).click();
      const before = receiver.calls.length;
      // A person asks to join and the association's admin approves, over the API.
      const code = randomNationalCode();
      await fetch(`${server.base}/api/v1/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ national_code: code, password: GOOD, first_name: 'Parvin', last_name: 'Etesami' }) });
      const login = async (c, p) => (await (await fetch(`${server.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ national_code: c, password: p }) })).json()).access_token;
      const person = await login(code, GOOD);
      const assoc = (await (await fetch(`${server.base}/api/v1/associations`)).json()).items.find((a) => a.code === 'medical-informatics');
      const q = assoc.qualifications[0];
      const req = await (await fetch(`${server.base}/api/v1/associations/${assoc.id}/membership-requests`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${person}` }, body: JSON.stringify({ field: q.field, degree_level: q.degree_level }) })).json();
      const assocAdmin = await login('0067749828', 'Anjoman-Demo-1403');
      await fetch(`${server.base}/api/v1/memberships/${req.id}/approve`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${assocAdmin}` }, body: '{}' });
      const arrived = await until(() => receiver.calls.length > before);
      const call = receiver.calls[before];
      const signed = arrived && call.headers['x-anjoman-signature'] === `v1=${createHmac('sha256', secret).update(`${call.headers['x-anjoman-timestamp']}.${call.body}`).digest('hex')}`;
      expect.soft(signed && JSON.parse(call.body).data.national_code === code, `${tag}: the approval reached the receiver, signed: ${arrived ? call.body : 'nothing arrived'}`).toBeTruthy();
      await page.getByTestId('webhook-list').getByRole('button', { name: T.deliveries }).first().click();
      const deliveries = page.getByTestId('delivery-rows');
      await deliveries.getByText(T.sent).first().waitFor();
      await axe(page, `${tag} webhook deliveries`);
      await page.screenshot({ path: shot('41-integrations-deliveries'), fullPage: true });
      await deliveries.getByRole('button', { name: T.again }).first().click();
      const again = await until(() => receiver.calls.length > before + 1);
      expect.soft(again && JSON.parse(receiver.calls[before + 1].body).id === JSON.parse(call.body).id, `${tag}: "send again" delivers the same event once more`).toBeTruthy();
    });
  } finally {
    receiver.stop();
  }
});
