import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { test, expect, axe, noHorizontalScroll, shots, watch } from './support/fixtures';
import { binary, INBOUND_SECRET } from './support/servers';

test('an election is created, keyed by its trustees, run, counted and published', async ({ scenario, lang, viewport, t }) => {
  await scenario({ label: 'election admin', env: { ANJOMAN_ELECTION_TICK_MS: '300' } }, async (s) => {
    const { tag, phone, shot, server, page } = s;
    const fa = lang === 'fa';
    const { signIn, signOut } = s;
    const api = async (method, path, token, body = undefined) => {
      const res = await fetch(`${server.base}${path}`, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body ? JSON.stringify(body) : undefined });
      return { status: res.status, body: await res.json().catch(() => null) };
    };
    const reloadUntil = async (text, seconds) => {
      const until = Date.now() + seconds * 1000;
      while (Date.now() < until) {
        // Give the page time to restore the session and render before judging.
        const seen = await page.getByText(text, { exact: false }).first().waitFor({ timeout: 2000 }).then(() => true, () => false);
        if (seen) return;
        await page.reload();
      }
      throw new Error(`never saw "${text}"`);
    };

    s.stage = 'the admin creates an election (API) and runs it from the page';
    const login = await api('POST', '/api/v1/auth/login', null, { national_code: '0067749828', password: 'Anjoman-Demo-1403' });
    const assoc = (await api('GET', '/api/v1/associations', null)).body.items.find((a) => a.code === 'medical-informatics');
    const title = `${fa ? 'انتخابات بازرس' : 'Inspector election'} ${Date.now()}`;
    const now = Date.now();
    // Two trustees, both needed to decrypt: the admin and a member (each in their own browser).
    const created = await api('POST', `/api/v1/associations/${assoc.id}/elections`, login.body.access_token, {
      title,
      description: fa ? 'انتخاب بازرس انجمن' : 'Choosing the inspector',
      // Far enough ahead for the key ceremony on a loaded machine; moved closer once it is done.
      starts_at: new Date(now + 3_600_000).toISOString(),
      ends_at: new Date(now + 3_630_000).toISOString(),
      contests: [{ title: t.associations.positions.inspector, seats: 1, max_selections: 1 }],
      trustees: ['0067749828', '1234567891'],
      trustee_threshold: 2,
    });
    expect.soft(created.status === 201, `${tag}: election created as a draft: ${JSON.stringify(created.body)}`).toBeTruthy();
    const id = created.body.id;
    await signIn('0067749828', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/elections/${id}`);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.locator('#candidate-national_code').fill('0061234567');
    await page.locator('#candidate-election_code').fill('7');
    await page.getByTestId('election-admin').getByRole('button', { name: t.electionAdmin.addCandidate }).click();
    await page.getByTestId('candidates').getByText('بهاره صالحی', { exact: false }).waitFor();
    await axe(page, `${tag} election admin (draft)`);

    s.stage = 'the two trustees make the election key, each in their own browser';
    const other = await s.context.browser().newContext({ viewport, locale: fa ? 'fa-IR' : 'en-GB' });
    await other.addInitScript((l) => localStorage.setItem('anjoman.lang', l), lang);
    const page2 = await other.newPage();
    page2.setDefaultTimeout(15_000);
    const problems2 = watch(page2, new Set());
    const T = {
      transport: t.trustee.transport,
      dealing: t.trustee.dealing,
      confirm: t.trustee.confirm,
      decrypt: t.trustee.decrypt,
    };
    try {
      await page2.goto(`${server.base}/login`);
      await page2.locator('#national_code').fill('1234567891');
      await page2.locator('#password').fill('Anjoman-Demo-1403');
      await page2.locator('#captcha_answer').fill('12345');
      await page2.locator('form').getByRole('button', { name: t.login.submit }).click();
      await page2.waitForURL(/\/profile$/);
      // The member is no admin: the draft is reached through "elections where you are a trustee".
      await page2.goto(`${server.base}/elections`);
      await page2.getByTestId('trusteeships').getByRole('link', { name: title }).click();
      await page2.getByTestId('ceremony-step').waitFor();
      await page.getByTestId('trustee-page').click();
      await page.getByTestId('ceremony-step').waitFor();
      await axe(page, `${tag} trustee: ceremony`);
      await page.screenshot({ path: shot('20b-trustee-ceremony'), fullPage: true });
      const keyFiles = [];
      for (const name of ['transport', 'dealing', 'confirm']) {
        for (const [p, who] of [[page, 'admin'], [page2, 'member']] as const) {
          const button = p.getByRole('button', { name: T[name] });
          await button.waitFor({ timeout: 20_000 });
          if (name === 'confirm') {
            const [download] = await Promise.all([p.waitForEvent('download'), button.click()]);
            keyFiles.push({ who, path: await download.path() });
            await p.getByTestId('key-saved').waitFor();
          } else {
            await button.click();
          }
        }
      }
      await page.getByTestId('ceremony-done').waitFor({ timeout: 20_000 });
      expect.soft(keyFiles.length === 2, `${tag}: the trustees made the election key in their browsers, each keeping a key file`).toBeTruthy();
      await page.goto(`${server.base}/elections/${id}`);
      await page.getByTestId('ceremony-state').getByText(fa ? 'کلید انتخابات آماده است' : 'The election key is ready').waitFor();
      // Voting opens a few seconds after publication and lasts 30 s, however long the ceremony took.
      const soon = Date.now();
      const moved = await api('PATCH', `/api/v1/elections/${id}`, login.body.access_token, {
        starts_at: new Date(soon + 20_000).toISOString(),
        ends_at: new Date(soon + 50_000).toISOString(),
      });
      expect(moved.status, `${tag}: the draft's dates moved: ${JSON.stringify(moved.body)}`).toBe(200);
      await page.reload();
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByRole('button', { name: t.electionAdmin.publish, exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: t.electionAdmin.publish }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await reloadUntil(t.elections.statuses.open, 40);
    // the worker opened the election
    await signOut();

    s.stage = 'the member votes by texting the code';
    await signIn('0061234567', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/elections/${id}/vote`);
    await page.getByRole('radio', { name: t.elections.channels.inbound }).check();
    await page.getByRole('button', { name: t.elections.next }).click();
    await page.getByRole('checkbox').first().check();
    await page.getByRole('button', { name: t.elections.review }).click();
    const instructions = page.getByTestId('inbound-instructions');
    await instructions.waitFor();
    const shown = /([0-9۰-۹]{6})/.exec(await instructions.innerText())?.[1] ?? '';
    const digits = shown.replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
    const body = JSON.stringify({ message_id: `e2e-vote-${Date.now()}`, from: '09120001234', to: '10004346', text: digits });
    const signature = `sha256=${createHmac('sha256', INBOUND_SECRET).update(body).digest('hex')}`;
    const relayed = await fetch(`${server.base}/api/v1/sms/inbound`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-anjoman-signature': signature }, body });
    expect.soft(relayed.status === 200, `${tag}: the voter's SMS was relayed: ${String(relayed.status)}`).toBeTruthy();
    await page.getByText(fa ? 'پیامک شما رسید' : 'Your SMS arrived', { exact: false }).waitFor();
    // the page confirmed the SMS by itself
    await page.waitForTimeout(400);
    await axe(page, `${tag} vote by SMS: review`);
    await page.getByRole('button', { name: t.elections.cast }).click();
    await page.getByTestId('tracking-code').waitFor();
    await signOut();

    s.stage = 'closing; the trustees decrypt the totals; counting and publishing the results';
    await signIn('0067749828', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/elections/${id}`);
    await reloadUntil(t.electionAdmin.tally, 60);
    // One trustee of the two needed has decrypted: the count waits, and says why.
    await page.goto(`${server.base}/elections/${id}/trustee`);
    await page.getByTestId('key-file').setInputFiles(keyFiles[0].path);
    await page.getByTestId('decrypted').waitFor();
    await axe(page, `${tag} trustee: decrypted`);
    await page.goto(`${server.base}/elections/${id}`);
    s.expected.add(409);
    await page.getByRole('button', { name: t.electionAdmin.tally }).click();
    await page.getByRole('dialog').getByRole('button', { name: t.electionAdmin.tally }).click();
    await page.getByText(fa ? 'امین باید رمزگشایی کنند' : 'trustees must decrypt before the count', { exact: false }).waitFor();
    // the count waits for the threshold of trustees
    // A key file of another trustee is refused on the device, before anything is sent.
    await page2.goto(`${server.base}/elections/${id}/trustee`);
    await page2.getByTestId('key-file').setInputFiles(keyFiles[0].path);
    await page2.getByText(fa ? 'این پروندهٔ کلید شما برای این انتخابات نیست' : 'This is not your key file for this election').waitFor();
    await page2.getByTestId('key-file').setInputFiles(keyFiles[1].path);
    await page2.getByTestId('decrypted').waitFor();
    // the second trustee decrypted with their own key file
    await page.getByRole('button', { name: t.electionAdmin.tally }).click();
    await page.getByRole('dialog').getByRole('button', { name: t.electionAdmin.tally }).click();
    await page.getByRole('button', { name: t.electionAdmin.publishResults }).click();
    await page.getByRole('dialog').getByRole('button', { name: t.electionAdmin.publishResults }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await signOut();
    await page.goto(`${server.base}/elections/${id}`);
    const results = page.getByTestId('results');
    await results.waitFor();
    const text = await results.innerText();
    expect.soft(text.includes('بهاره صالحی') && text.includes(t.elections.outcomes.elected), `${tag}: the published results show the elected candidate: ${text}`).toBeTruthy();
    await axe(page, `${tag} results`);
    await noHorizontalScroll(page, `${tag} results`);
    await page.screenshot({ path: shot('21-results'), fullPage: true });
    await page.getByRole('link', { name: t.minutes.open }).click();
    const minutes = page.getByTestId('minutes');
    await minutes.getByText('بهاره صالحی').waitFor();
    expect.soft((await minutes.innerText()).includes(fa ? 'امضای' : 'Signed by'), `${tag}: the printable minutes list the count`).toBeTruthy();
    await axe(page, `${tag} minutes`);

    s.stage = 'the election record verifies with anjoman verify-election';
    const record = await fetch(`${server.base}/api/v1/elections/${id}/record`);
    const recordPath = join(shots, `record-${lang}-${phone ? 'phone' : 'desktop'}.json`);
    writeFileSync(recordPath, Buffer.from(await record.arrayBuffer()));
    const verified = spawnSync(binary, ['verify-election', recordPath], { encoding: 'utf8' });
    expect.soft(verified.status === 0 && verified.stdout.includes('1 ballots'), `${tag}: anjoman verify-election accepts the record: ${verified.stdout + verified.stderr}`).toBeTruthy();
    } finally {
      expect.soft(problems2.length === 0, `${tag} second trustee's browser: no console errors or failed requests: ${problems2.join(' | ')}`).toBeTruthy();
      await other.close();
    }
  });
});
