// Browser tests: Debian's Chromium, driven by playwright-core, against a real `anjoman` with a
// fresh database per scenario. Each scenario runs in Persian and English, at desktop width and
// on a 360 px phone. Any console error, page error, failed request or unexpected error status
// fails the run; so does a serious accessibility violation (axe-core). Screenshots go to
// ../test-output/e2e/.
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const binary = process.env.ANJOMAN_BIN ?? join(root, 'target/debug/anjoman');
const webDir = resolve(here, '../dist');
const shots = join(root, 'test-output/e2e');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
mkdirSync(shots, { recursive: true });

const GOOD = 'Sahand-Kuh 1403';
const NEW_GOOD = 'Damavand-Peak 5671';
const FORCED = '0010350829';

const persianDigits = (s) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x06f0 + Number(d)));

function randomNationalCode() {
  for (;;) {
    const nine = Array.from({ length: 9 }, () => Math.floor(Math.random() * 10));
    if (nine.every((d) => d === nine[0])) continue;
    const sum = nine.reduce((acc, d, i) => acc + d * (10 - i), 0);
    const r = sum % 11;
    return nine.join('') + String(r < 2 ? r : 11 - r);
  }
}

const INBOUND_SECRET = 'e2e-inbound-sms-secret';

/** A minimal SMTP server keeping every message, so tests can read the codes people get. */
async function startSmtpSink() {
  const mails = [];
  const server = createServer((socket) => {
    let buffer = '';
    let data = null;
    let to = [];
    socket.write('220 sink ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let i;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (data !== null) {
          if (line === '.') {
            mails.push({ to, data: data.join('\r\n') });
            data = null;
            to = [];
            socket.write('250 queued\r\n');
          } else data.push(line.startsWith('..') ? line.slice(1) : line);
          continue;
        }
        const upper = line.toUpperCase();
        if (upper.startsWith('EHLO') || upper.startsWith('HELO')) socket.write('250-sink\r\n250 8BITMIME\r\n');
        else if (upper.startsWith('RCPT TO:')) {
          to.push(line.slice(8).trim().replace(/[<>]/g, ''));
          socket.write('250 OK\r\n');
        } else if (upper === 'DATA') {
          data = [];
          socket.write('354 go ahead\r\n');
        } else if (upper === 'QUIT') {
          socket.end('221 bye\r\n');
        } else socket.write('250 OK\r\n');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const text = (mail) => {
    const [headers, ...rest] = mail.data.split('\r\n\r\n');
    const body = rest.join('\r\n\r\n');
    if (/content-transfer-encoding: base64/i.test(headers)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (/content-transfer-encoding: quoted-printable/i.test(headers)) {
      return Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
    }
    return body;
  };
  return {
    url: `smtp://127.0.0.1:${server.address().port}`,
    /** Waits for a message to `to` and returns its text. */
    async waitFor(address) {
      for (let i = 0; i < 200; i++) {
        const mail = mails.find((m) => m.to.includes(address));
        if (mail) return text(mail);
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no e-mail to ${address}`);
    },
    close: () => server.close(),
  };
}

/** The environment of a server (and its command line) on the database in `dir`. */
function serverEnv(dir, extraEnv = {}) {
  return {
    ...process.env,
    ANJOMAN_DATABASE_URL: `sqlite://${join(dir, 'anjoman.db')}`,
    ANJOMAN_DATA_DIR: join(dir, 'data'),
    ANJOMAN_ARGON2_MEMORY_KIB: '256',
    ANJOMAN_ARGON2_ITERATIONS: '1',
    ...extraEnv,
  };
}

/** `extraEnv.demo === false` starts on an empty database; `before(dir)` runs first (the CLI). */
async function startServer(extraEnv = {}, before = null) {
  const dir = mkdtempSync(join(tmpdir(), 'anjoman-e2e-'));
  const { demo = true, ...env } = extraEnv;
  if (before) before(dir);
  const child = spawn(binary, demo ? ['serve', '--demo'] : ['serve'], {
    cwd: dir,
    env: {
      ...process.env,
      ANJOMAN_DATABASE_URL: `sqlite://${join(dir, 'anjoman.db')}`,
      ANJOMAN_DATA_DIR: join(dir, 'data'),
      ANJOMAN_BIND: '127.0.0.1:0',
      ANJOMAN_WEB_DIR: webDir,
      ANJOMAN_CAPTCHA: 'off',
      ANJOMAN_ARGON2_MEMORY_KIB: '256',
      ANJOMAN_ARGON2_ITERATIONS: '1',
      ANJOMAN_LOG: 'error',
      ANJOMAN_INBOUND_SMS_SECRET: INBOUND_SECRET,
      ANJOMAN_OUTBOX_POLL_MS: '200',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('anjoman did not start within 60 s')), 60_000);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = line.match(/^anjoman listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
    child.on('exit', (code) => fail(new Error(`anjoman exited with ${code}`)));
  });
  return {
    base,
    stop: () => {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const results = [];
function check(name, condition, detail = '') {
  results.push({ name, ok: Boolean(condition), detail });
  console.log(`${condition ? 'ok' : 'FAIL'} - ${name}${condition || !detail ? '' : `: ${detail}`}`);
  return Boolean(condition);
}

/** Watches a page for anything that should never happen. */
function watch(page, expectedStatuses) {
  const problems = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium reports every 4xx as a console error; expected ones are allowed below.
    const expected = /Failed to load resource: the server responded with a status of (\d+)/.exec(m.text());
    if (expected && expectedStatuses.has(Number(expected[1]))) return;
    problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A request the page itself abandoned (it navigated away) is not a failure.
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 500 || (r.status() >= 400 && !expectedStatuses.has(r.status()))) {
      problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
    }
  });
  return problems;
}

async function axe(page, label) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const detail = serious.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`).join(', ');
  check(`${label}: no serious accessibility violations`, serious.length === 0, detail);
}

async function noHorizontalScroll(page, label) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  check(`${label}: fits the viewport`, scroll <= width + 1, `${scroll}px content in ${width}px`);
}

const labels = {
  fa: { register: 'ثبت‌نام', login: 'ورود', logout: 'خروج', save: 'ذخیره', change: 'تغییر رمز عبور', menu: 'فهرست', lang: 'English' },
  en: { register: 'Register', login: 'Sign in', logout: 'Sign out', save: 'Save', change: 'Change password', menu: 'Menu', lang: 'فارسی' },
};

async function openMenuIfPhone(page, phone, lang) {
  if (phone) await page.getByRole('button', { name: labels[lang].menu }).click();
}

/**
 * Runs one browser scenario on its own server and browser context: the language preset, the
 * watch for console errors and failed requests, a screenshot and a failed check when a step
 * throws, and the clean-up. `body` gets the context and sets `s.stage` as it goes.
 */
async function withScenario(browser, lang, viewport, { label = '', failShot, env = {}, before = null }, body) {
  const phone = viewport.width < 600;
  const tag = `${lang} ${phone ? '360px' : 'desktop'}${label ? ` ${label}` : ''}`;
  const shot = (name) => join(shots, `${lang}-${phone ? 'phone' : 'desktop'}-${name}.png`);
  const server = await startServer(env, before);
  const context = await browser.newContext({ viewport, locale: lang === 'fa' ? 'fa-IR' : 'en-GB' });
  await context.addInitScript((l) => {
    if (!localStorage.getItem('anjoman.lang')) localStorage.setItem('anjoman.lang', l);
  }, lang);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  // Statuses a step provokes on purpose (a wrong password's 401); nothing else may fail.
  const expected = new Set();
  const problems = watch(page, expected);
  const s = { tag, phone, shot, server, context, page, expected, L: labels[lang], stage: 'start' };
  const L = labels[lang];
  s.signIn = async (code, password) => {
    await page.goto(`${server.base}/login`);
    await page.locator('#national_code').fill(code);
    await page.locator('#password').fill(password);
    await page.locator('#captcha_answer').fill('12345');
    await page.locator('form').getByRole('button', { name: L.login }).click();
    await page.waitForURL(/\/profile$/);
  };
  s.signOut = async () => {
    await openMenuIfPhone(page, phone, lang);
    await page.getByRole('button', { name: L.logout }).first().click();
    await page.waitForURL(/\/login$/);
  };
  try {
    await body(s);
  } catch (e) {
    check(`${tag}: scenario completed`, false, `${s.stage}: ${String(e.message).split('\n')[0]} (at ${page.url()})`);
    await page.screenshot({ path: shot(failShot), fullPage: true }).catch(() => {});
  } finally {
    check(`${tag}: no console errors or failed requests`, problems.length === 0, problems.join(' | '));
    await context.close();
    server.stop();
  }
}

/**
 * From zero: an empty database (no demo data), `anjoman create-admin`, then through the web
 * client only: a person registers, the commission admin grants them the directorate and a
 * province's engineering organisation, sees this device among the sessions, disables the account
 * (sign-in refused with the reason's message), re-enables it and revokes a grant; the commission
 * creates an association and names its admin, who sets the accepted fields and approves the
 * first person's request; that person, as the directorate, registers a distributor whose manager
 * then finds it on their page, and names Tehran's reviewer, who approves a new officer's
 * qualification request; the officer pays the fee in the sandbox gateway and is qualified; as
 * Fars's engineering admin, they import an engineer, who signs in through the SSO, asks for
 * renewal, is sent the fee with the prior debt and pays it.
 */
async function fromZero(browser, lang, viewport) {
  const admin = randomNationalCode();
  const before = (dir) => {
    const out = spawnSync(binary, ['create-admin', '--national-code', admin, '--password', GOOD], { cwd: dir, env: serverEnv(dir), encoding: 'utf8' });
    check(`${lang} from zero: create-admin ran`, out.status === 0, `${out.stdout}${out.stderr}`);
  };
  // The government SSO's stand-in, for the engineer's first login.
  const port = await freePort();
  const provider = await startProvider(`http://127.0.0.1:${port}/api/v1/auth/sso/callback`);
  const env = {
    demo: false,
    ANJOMAN_BIND: `127.0.0.1:${port}`,
    ANJOMAN_OIDC_ISSUER: provider.issuer,
    ANJOMAN_OIDC_CLIENT_ID: 'anjoman',
    ANJOMAN_OIDC_CLIENT_SECRET: 'anjoman-test-secret',
    ANJOMAN_OIDC_SCOPES: 'openid national_code',
  };
  try {
    await withScenario(browser, lang, viewport, { label: 'from zero', failShot: 'failure-from-zero', env, before }, async (s) => {
      const { tag, phone, shot, server, page, expected, L } = s;
      const fa = lang === 'fa';
      // The provider's development pages ask for a web font; there is no internet here.
      await s.context.route('https://fonts.googleapis.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/css', body: '' }));
      s.stage = 'a person registers in the web client';
      const registerInSpa = async (code, first, last, mobile) => {
        await page.goto(`${server.base}/register`);
        await page.locator('#national_code').fill(code);
        await page.locator('#first_name').fill(first);
        await page.locator('#last_name').fill(last);
        await page.locator('#mobile').fill(mobile);
        await page.locator('#password').fill(GOOD);
        await page.locator('#password_repeat').fill(GOOD);
        await page.locator('#captcha_answer').fill('12345');
        await page.locator('form').getByRole('button', { name: L.register }).click();
        await page.waitForURL(/\/login\?registered=1$/);
      };
      const other = randomNationalCode();
      await registerInSpa(other, 'Sohrab', 'Sepehri', '09121110000');

      s.stage = 'the commission admin grants the directorate and a province';
      await s.signIn(admin, GOOD);
      await openMenuIfPhone(page, phone, lang);
      await page.getByRole('link', { name: fa ? 'نقش‌ها' : 'Roles' }).first().click();
      await page.waitForURL(/\/admin\/roles$/);
      await page.getByRole('heading', { level: 1, name: fa ? 'نقش‌ها' : 'Roles' }).waitFor();
      const rows = page.getByTestId('grant-rows');
      await rows.getByText(admin).or(rows.getByText(persianDigits(admin))).waitFor();
      const grant = async (role, province, code = other) => {
        await page.getByRole('button', { name: fa ? 'دادن نقش' : 'Grant a role' }).click();
        await page.locator('#grant-code').fill(code);
        await page.locator('#grant-role').click();
        await page.getByRole('option', { name: role }).click();
        if (province) {
          await page.locator('#grant-scope').click();
          await page.getByRole('option', { name: province }).click();
        }
        await page.getByRole('dialog').getByRole('button', { name: fa ? 'دادن نقش' : 'Grant a role' }).click();
        await page.getByRole('dialog').waitFor({ state: 'detached' });
      };
      await grant(fa ? 'اداره کل تجهیزات پزشکی' : 'Medical-equipment directorate', null);
      await grant(fa ? 'کارشناس سازمان نظام مهندسی' : 'Engineering organisation expert', fa ? 'فارس' : 'Fars');
      await rows.getByText(fa ? 'فارس' : 'Fars').waitFor();
      const listed = await page
        .waitForFunction(() => document.querySelectorAll('[data-testid=grant-rows] tr').length === 3, null, { timeout: 10_000 })
        .then(() => true, () => false);
      check(`${tag}: both grants listed beside the admin's own`, listed, String(await rows.locator('tr').count()));
      await page.locator('#grants-search').fill(other.slice(0, 7));
      const found = await page
        .waitForFunction(() => document.querySelectorAll('[data-testid=grant-rows] tr').length === 2, null, { timeout: 10_000 })
        .then(() => true, () => false);
      check(`${tag}: search finds the grantee only`, found, String(await rows.locator('tr').count()));
      await axe(page, `${tag} roles`);
      await noHorizontalScroll(page, `${tag} roles`);
      await page.screenshot({ path: shot('roles'), fullPage: true });

      s.stage = 'the last holder of a province stays; revoking asks first';
      const revoke = async (text) => {
        await rows.locator('tr').filter({ hasText: text }).getByRole('button', { name: fa ? 'پس‌گرفتن' : 'Revoke' }).click();
        await page.getByRole('dialog').getByRole('button', { name: fa ? 'پس‌گرفتن' : 'Revoke' }).click();
      };
      expected.add(409);
      await revoke(fa ? 'فارس' : 'Fars');
      await page.getByText(fa ? 'آخرین دارندهٔ این نقش' : 'last holder of this role').waitFor();
      const commissioner = fa ? 'مدیر کمیسیون' : 'Commission administrator';
      await grant(commissioner, null);
      await rows.getByText(commissioner).first().waitFor();
      await revoke(commissioner);
      await page.getByText(fa ? 'نقش پس گرفته شد' : 'The role was revoked').waitFor();
      const gone = await page
        .waitForFunction(() => document.querySelectorAll('[data-testid=grant-rows] tr').length === 2, null, { timeout: 10_000 })
        .then(() => true, () => false);
      check(`${tag}: revoked grant gone, the last holder kept`, gone, String(await rows.locator('tr').count()));

      s.stage = 'sessions on the profile';
      await page.goto(`${server.base}/profile`);
      const sessions = page.getByTestId('session-rows');
      await sessions.getByText(fa ? 'همین دستگاه' : 'This device').waitFor();
      check(`${tag}: this device is listed`, (await sessions.locator('li').count()) >= 1);

      s.stage = 'disabling an account';
      await page.goto(`${server.base}/admin/people`);
      const people = page.getByTestId('people-rows');
      const row = people.locator('tr').filter({ hasText: 'Sohrab' });
      await row.getByRole('button', { name: fa ? 'غیرفعال‌کردن حساب' : 'Disable account' }).click();
      await page.locator('#disable-reason').fill(fa ? 'درخواست خود شخص' : 'At their own request');
      await page.getByRole('dialog').getByRole('button', { name: fa ? 'غیرفعال‌کردن حساب' : 'Disable account' }).click();
      await row.getByText(fa ? 'غیرفعال' : 'Disabled', { exact: true }).waitFor();
      await axe(page, `${tag} people`);
      await noHorizontalScroll(page, `${tag} people`);
      await page.screenshot({ path: shot('people'), fullPage: true });
      await s.signOut();
      expected.add(403);
      await page.locator('#national_code').fill(other);
      await page.locator('#password').fill(GOOD);
      await page.locator('#captcha_answer').fill('12345');
      await page.locator('form').getByRole('button', { name: L.login }).click();
      await page.getByText(fa ? 'غیرفعال کرده‌اند' : 'has been disabled').waitFor();
      check(`${tag}: a disabled account is refused with a clear message`, true);

      s.stage = 're-enabling';
      await s.signIn(admin, GOOD);
      await page.goto(`${server.base}/admin/people`);
      await people.locator('tr').filter({ hasText: 'Sohrab' }).getByRole('button', { name: fa ? 'فعال‌کردن دوباره' : 'Re-enable' }).click();
      await people.locator('tr').filter({ hasText: 'Sohrab' }).getByText(fa ? 'فعال' : 'Active', { exact: true }).waitFor();
      await s.signOut();
      await s.signIn(other, GOOD);
      check(`${tag}: re-enabled account signs in`, true);
      await s.signOut();

      s.stage = 'the commission creates an association and names its admin';
      const head = randomNationalCode();
      await registerInSpa(head, 'Forough', 'Farrokhzad', '09121110009');
      await s.signIn(admin, GOOD);
      await page.goto(`${server.base}/associations`);
      await page.locator('#association-code').fill('zero-a');
      await page.locator('#association-name').fill('انجمن آغاز');
      await page.locator('form').getByRole('button', { name: fa ? 'ایجاد انجمن' : 'Create an association' }).click();
      await page.getByTestId('association-list').getByText('انجمن آغاز').waitFor();
      await page.goto(`${server.base}/admin/roles`);
      await grant(fa ? 'مدیر انجمن' : 'Association administrator', 'انجمن آغاز', head);
      await rows.getByText('انجمن آغاز').waitFor();
      check(`${tag}: the new association's admin is named`, true);
      await s.signOut();

      s.stage = "the association's admin sets the accepted fields";
      await s.signIn(head, GOOD);
      await page.goto(`${server.base}/associations`);
      await page.getByTestId('association-list').getByText('انجمن آغاز').click();
      await page.getByRole('button', { name: fa ? 'ویرایش رشته‌های پذیرفته' : 'Edit accepted fields' }).click();
      await page.locator('#qualification-field').fill('انفورماتیک پزشکی');
      await page.locator('#qualification-degree').click();
      await page.getByRole('option', { name: fa ? 'کارشناسی ارشد' : 'Master', exact: true }).click();
      await page.getByRole('listbox').waitFor({ state: 'detached' });
      await page.getByRole('button', { name: fa ? 'افزودن' : 'Add', exact: true }).click();
      await page.getByRole('button', { name: fa ? 'ذخیرهٔ رشته‌های پذیرفته' : 'Save accepted fields' }).click();
      await page.getByRole('button', { name: fa ? 'ذخیرهٔ رشته‌های پذیرفته' : 'Save accepted fields' }).waitFor({ state: 'detached' });
      await s.signOut();

      s.stage = 'a person asks to join and the admin approves';
      await s.signIn(other, GOOD);
      await page.goto(`${server.base}/associations`);
      await page.getByTestId('association-list').getByText('انجمن آغاز').click();
      await page.locator('#membership-field').fill('انفورماتیک پزشکی');
      await page.locator('#membership-degree').click();
      await page.getByRole('option', { name: fa ? 'کارشناسی ارشد' : 'Master', exact: true }).click();
      await page.getByRole('listbox').waitFor({ state: 'detached' });
      await page.locator('form').getByRole('button', { name: fa ? 'درخواست عضویت' : 'Request membership' }).click();
      await page.getByTestId('membership-status').getByText(fa ? 'در انتظار بررسی' : 'Awaiting review').waitFor();
      await s.signOut();
      await s.signIn(head, GOOD);
      await page.goto(`${server.base}/associations`);
      await page.getByTestId('association-list').getByText('انجمن آغاز').click();
      await page.getByRole('link', { name: fa ? 'مدیریت اعضا' : 'Manage members' }).click();
      const request = page.getByTestId('member-rows').locator('tr', { hasText: 'Sohrab Sepehri' });
      await request.getByRole('button', { name: fa ? 'تأیید' : 'Approve' }).click();
      await request.waitFor({ state: 'detached' });
      await s.signOut();
      await s.signIn(other, GOOD);
      await page.getByTestId('my-memberships').getByText(fa ? 'تأییدشده' : 'Approved').waitFor();
      check(`${tag}: from zero, a membership is requested and approved in a new association`, true);

      s.stage = 'the directorate registers a distributor; its manager finds it';
      await page.goto(`${server.base}/distributor`);
      await page.locator('#distributor-name').fill('شرکت آغاز طب');
      await page.locator('#distributor-manager').fill(head);
      await page.locator('#central-province').click();
      await page.getByRole('option', { name: 'تهران', exact: true }).click();
      await page.getByRole('listbox').waitFor({ state: 'detached' });
      await page.locator('#central-city').click();
      await page.getByRole('option', { name: 'ری', exact: true }).click();
      await page.getByRole('listbox').waitFor({ state: 'detached' });
      await page.locator('#central-address').fill('ری، میدان شهرداری، پلاک ۷');
      await page.getByRole('button', { name: fa ? 'ثبت توزیع‌کننده' : 'Register the distributor' }).click();
      await page.getByText('شرکت آغاز طب').first().waitFor();
      await s.signOut();
      await s.signIn(head, GOOD);
      await openMenuIfPhone(page, phone, lang);
      await page.getByRole('link', { name: fa ? 'توزیع‌کننده' : 'Distributor' }).first().click();
      await page.getByTestId('branches').waitFor();
      await page.getByText('شرکت آغاز طب').first().waitFor();
      check(`${tag}: from zero, the distributor's manager runs the new distributor`, true);
      await s.signOut();

      s.stage = "the directorate names Tehran's reviewer";
      await s.signIn(other, GOOD);
      await page.goto(`${server.base}/reviews`);
      await page.getByTestId('directorate-settings').waitFor();
      await page.locator('#reviewer-province').click();
      await page.getByRole('option', { name: /^تهران/ }).click();
      await page.getByRole('listbox').waitFor({ state: 'detached' });
      await page.locator('#reviewer-code').fill(head);
      await page.getByRole('button', { name: fa ? 'تعیین به‌عنوان کارشناس' : 'Name as reviewer' }).click();
      await page.getByText(fa ? 'کارشناس تعیین شد.' : 'The reviewer was named.').waitFor();
      await s.signOut();

      s.stage = 'an officer registers and asks for qualification';
      const officer = randomNationalCode();
      await registerInSpa(officer, 'Nima', 'Yushij', '09121110008');
      await s.signIn(officer, GOOD);
      await page.getByTestId('officer-link').click();
      // MUI's date field is a row of spin buttons (year, month, day); typing fills them in turn.
      await page.locator('.MuiPickersSectionList-root').first().locator('[role="spinbutton"]').first().click();
      await page.keyboard.type(fa ? '13670310' : '05311988');
      await page.locator('#officer-father').fill(fa ? 'ابراهیم' : 'Ebrahim');
      await page.locator('#officer-id-card').fill('4321');
      await page.locator('#officer-province').click();
      await page.getByRole('option', { name: 'تهران', exact: true }).click();
      await page.locator('#officer-city').click();
      await page.getByRole('option', { name: 'ری', exact: true }).click();
      await page.locator('#officer-address').fill('تهران، ری، خیابان فدائیان اسلام، پلاک ۴');
      await page.locator('#officer-qualification').click();
      await page.getByRole('option', { name: /مهندسی پزشکی/ }).first().click();
      await page.getByRole('listbox').waitFor({ state: 'detached' });
      const pdf = { name: 'degree.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n') };
      await page.getByTestId('officer-document').setInputFiles(pdf);
      await page.getByRole('button', { name: 'degree.pdf' }).waitFor();
      await page.getByRole('button', { name: fa ? 'ثبت‌نام' : 'Register', exact: true }).click();
      await page.getByTestId('qualified').waitFor();
      await page.getByRole('button', { name: fa ? 'ارسال درخواست احراز صلاحیت' : 'Submit the qualification request' }).click();
      await page.getByRole('dialog').getByRole('button', { name: fa ? 'ارسال' : 'Submit' }).click();
      await page.getByTestId('request-status').getByText(fa ? 'در کارتابل دانشگاه' : 'In the university’s queue').waitFor();
      await s.signOut();

      s.stage = 'the new reviewer approves with the fee';
      await s.signIn(head, GOOD);
      await page.goto(`${server.base}/reviews`);
      await page.getByTestId('review-queue').getByText('Nima Yushij', { exact: false }).click();
      await page.getByRole('button', { name: fa ? 'تأیید' : 'Approve', exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: fa ? 'تأیید' : 'Approve' }).click();
      await page.getByTestId('review-status').getByText(fa ? 'تأییدشده، در انتظار پرداخت' : 'Approved: fee due').waitFor();
      await s.signOut();

      s.stage = 'the officer pays the fee and is qualified';
      await s.signIn(officer, GOOD);
      await page.goto(`${server.base}/officer`);
      await page.getByRole('button', { name: fa ? 'پرداخت هزینه' : 'Pay the fee' }).click();
      await page.waitForURL(/\/sandbox-gateway\/S\d+$/);
      await page.getByRole('button', { name: fa ? 'پرداخت' : 'Pay', exact: true }).click();
      await page.waitForURL(/\/invoices\/[0-9a-f-]+\?payment=paid$/);
      await page.getByTestId('invoice-status').getByText(fa ? 'پرداخت‌شده' : 'Paid').waitFor();
      await page.goto(`${server.base}/officer`);
      const qualified = await page.getByTestId('qualified').innerText();
      check(`${tag}: from zero, an officer is qualified after the new reviewer's approval and the fee`, qualified.includes(fa ? 'احراز صلاحیت از' : 'Qualified since'), qualified);
      await s.signOut();

      s.stage = "Fars's engineering admin imports an engineer";
      const engineer = randomNationalCode();
      const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      const csv = `national_code,first_name,last_name,province,membership_number,expires_on\r\n${engineer},سیمین,دانشور,فارس,FA-1001,${expires}\r\n`;
      await s.signIn(other, GOOD);
      await page.goto(`${server.base}/engineering`);
      await page.getByRole('tab', { name: fa ? 'مهندسان' : 'Engineers' }).click();
      await page.getByRole('button', { name: fa ? 'ورود مهندسان از پرونده (CSV)' : /CSV/ }).click();
      await page.getByTestId('import-input').setInputFiles({ name: 'engineers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      const confirmImport = page.getByRole('dialog').locator('.MuiDialogActions-root .MuiButton-contained');
      await confirmImport.waitFor();
      await confirmImport.click();
      await page.getByRole('dialog').getByRole('status').waitFor();
      await page.getByRole('dialog').locator('.MuiDialogActions-root button').first().click();
      await page.getByText('سیمین دانشور', { exact: false }).first().waitFor();
      await s.signOut();

      s.stage = 'the engineer signs in through the SSO and asks for renewal';
      const ssoSignIn = async () => {
        await page.goto(`${server.base}/login`);
        const sso = fa ? 'ورود با دولت من' : 'Sign in with دولت من';
        await page.getByRole('button', { name: sso }).or(page.getByRole('link', { name: sso })).click();
        const login = page.locator('input[name="login"]');
        const portal = page.waitForURL(/\/engineer$/);
        await Promise.race([login.waitFor(), portal]);
        if (await login.isVisible()) {
          await login.fill(engineer);
          await page.locator('input[name="password"]').fill('any');
          await page.getByRole('button', { name: 'Sign-in' }).click();
          const consent = page.getByRole('button', { name: 'Continue' });
          await Promise.race([consent.waitFor(), portal]);
          if (await consent.isVisible()) await consent.click();
        }
        await portal;
      };
      await ssoSignIn();
      await page.getByRole('button', { name: fa ? 'ثبت درخواست تمدید' : 'Request renewal' }).click();
      await page.getByTestId('renewal-status').getByText(fa ? 'در دست بررسی' : 'under review', { exact: false }).waitFor();
      await s.signOut();

      s.stage = 'the admin enters the prior debt';
      await s.signIn(other, GOOD);
      await page.goto(`${server.base}/engineering`);
      await page.getByText('سیمین دانشور', { exact: false }).first().waitFor();
      await page.getByRole('button', { name: fa ? 'ثبت بدهی پیشین' : 'Enter prior debt' }).click();
      await page.locator('#assess-debt').fill('1000000');
      await page.getByRole('dialog').getByRole('button', { name: fa ? 'ارسال مبلغ برای مهندس' : 'Send the amount to the engineer' }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await s.signOut();

      s.stage = 'the engineer pays and the membership is renewed';
      await ssoSignIn();
      await page.getByTestId('renewal-status').getByText(fa ? '۱۳٬۰۰۰٬۰۰۰ ریال' : '13,000,000 rials').first().waitFor();
      await page.getByRole('button', { name: fa ? /^پرداخت / : /^Pay / }).click();
      await page.waitForURL(/\/sandbox-gateway\/S\d+$/);
      await page.getByRole('button', { name: fa ? 'پرداخت' : 'Pay', exact: true }).click();
      await page.waitForURL(/\/invoices\/[0-9a-f-]+\?payment=paid$/);
      await page.getByTestId('invoice-status').getByText(fa ? 'پرداخت‌شده' : 'Paid').waitFor();
      await page.goto(`${server.base}/engineer`);
      const renewed = await page.getByText(fa ? 'تمدید شد' : 'Renewed', { exact: false }).first().innerText();
      check(`${tag}: from zero, an imported engineer renews through the SSO and pays`, renewed.length > 0, renewed);
    });
  } finally {
    provider.stop();
  }
}

async function scenario(browser, lang, viewport) {
  await withScenario(browser, lang, viewport, { label: '', failShot: 'failure' }, async (s) => {
    const { tag, phone, shot, server, context, page, expected, L } = s;
    // Home: direction and language.
    s.stage = 'Home: direction and language.';
    await page.goto(`${server.base}/`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const dir = await page.evaluate(() => document.documentElement.dir);
    check(`${tag}: page direction`, dir === (lang === 'fa' ? 'rtl' : 'ltr'), dir);
    await axe(page, `${tag} home`);
    await page.screenshot({ path: shot('1-home'), fullPage: true });

    // Register: client-side validation in the page's language, then a real registration.
    s.stage = "Register: client-side validation in the page's language, then a real registration.";
    await page.goto(`${server.base}/register`);
    await page.getByRole('heading', { name: L.register }).waitFor();
    await page.locator('form').getByRole('button', { name: L.register }).click();
    const required = lang === 'fa' ? 'این فیلد الزامی است.' : 'This field is required.';
    check(`${tag}: empty form shows field errors`, await page.getByText(required).first().isVisible());
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
    await page.locator('form').getByRole('button', { name: L.register }).click();
    const weak = lang === 'fa' ? 'دست‌کم ۸ نویسه' : 'at least 8 characters';
    check(`${tag}: weak password refused before sending`, await page.getByText(weak).first().isVisible());
    // A password the page accepts but the server refuses (too common): the server's field
    // message appears under the field.
    expected.add(400);
    await page.locator('#password').fill('Password1');
    await page.locator('#password_repeat').fill('Password1');
    await page.locator('form').getByRole('button', { name: L.register }).click();
    const common = lang === 'fa' ? 'این رمز عبور بسیار رایج است' : 'This password is too common';
    await page.locator('#password-helper-text').getByText(common).waitFor();
    check(`${tag}: server field errors land on their fields`, true);
    expected.delete(400);
    await page.locator('#password').fill(GOOD);
    await page.locator('#password_repeat').fill(GOOD);
    await page.locator('#captcha_answer').fill('12345');
    await page.screenshot({ path: shot('2-register'), fullPage: true });
    await page.locator('form').getByRole('button', { name: L.register }).click();
    await page.waitForURL(/\/login\?registered=1/);
    // The URL changes before the new page renders; wait for it, or typing lands in the old form.
    await page.getByRole('heading', { level: 1, name: lang === 'fa' ? 'ورود به سامانه' : 'Sign in' }).waitFor();
    check(`${tag}: registration leads to sign-in`, true);
    await noHorizontalScroll(page, `${tag} login`);

    // Sign in: a wrong password first (the envelope's message is shown), then the right one.
    s.stage = "Sign in: a wrong password first (the envelope's message is shown), then the right one.";
    expected.add(401);
    await page.locator('#national_code').fill(code);
    await page.locator('#password').fill('Wrong-pass 1');
    await page.locator('#captcha_answer').fill('12345');
    await page.locator('form').getByRole('button', { name: L.login }).click();
    const wrong = lang === 'fa' ? 'کد ملی یا رمز عبور نادرست است.' : 'The national code or password is incorrect.';
    await page.getByText(wrong).waitFor();
    check(`${tag}: wrong password shows the server's message`, true);
    expected.delete(401);
    await axe(page, `${tag} login`);
    await page.screenshot({ path: shot('3-login-error'), fullPage: true });
    await page.locator('#password').fill(GOOD);
    await page.locator('#captcha_answer').fill('12345');
    await page.locator('form').getByRole('button', { name: L.login }).click();
    await page.waitForURL(/\/profile$/);
    await page.getByTestId('national-code').waitFor();
    const shown = await page.getByTestId('national-code').innerText();
    check(`${tag}: profile shows the national code`, shown === (lang === 'fa' ? persianDigits(code) : code), shown);

    // Profile: a Jalali (or Gregorian) birth date typed into the date field, saved and shown.
    s.stage = 'Profile: a Jalali (or Gregorian) birth date typed into the date field, saved and shown.';
    // MUI's date field is a row of spin buttons (year, month, day); typing fills them in turn.
    const birthField = page.locator('.MuiPickersSectionList-root').first();
    await birthField.locator('[role="spinbutton"]').first().click();
    await page.keyboard.type(lang === 'fa' ? '13640415' : '06071985');
    await page.locator('#mobile').fill('09351112233');
    await page.getByRole('button', { name: L.save }).click();
    const saved = lang === 'fa' ? 'تغییرات ذخیره شد.' : 'Your changes were saved.';
    await page.getByText(saved).waitFor();
    const birth = await page.getByTestId('birth-date').innerText();
    check(`${tag}: birth date saved and shown in the right calendar`, lang === 'fa' ? birth === '۱۵ تیر ۱۳۶۴' : birth === '6 July 1985', birth);
    await axe(page, `${tag} profile`);
    await noHorizontalScroll(page, `${tag} profile`);
    await page.screenshot({ path: shot('4-profile'), fullPage: true });

    // A reload keeps the session (refresh cookie), then sign out.
    s.stage = 'A reload keeps the session (refresh cookie), then sign out.';
    await page.reload();
    await page.getByTestId('national-code').waitFor();
    check(`${tag}: session survives a reload`, true);
    await openMenuIfPhone(page, phone, lang);
    await page.getByRole(phone ? 'button' : 'button', { name: L.logout }).first().click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${server.base}/profile`);
    await page.waitForURL(/\/login\?next=/);
    check(`${tag}: signed out for good`, true);

    // Forced password change: nothing else is reachable until it is done.
    s.stage = 'Forced password change: nothing else is reachable until it is done.';
    await page.locator('#national_code').fill(FORCED);
    await page.locator('#password').fill(FORCED);
    await page.locator('#captcha_answer').fill('12345');
    await page.locator('form').getByRole('button', { name: L.login }).click();
    await page.waitForURL(/\/change-password$/);
    await page.goto(`${server.base}/profile`);
    await page.waitForURL(/\/change-password$/);
    check(`${tag}: forced change blocks other pages`, true);
    await axe(page, `${tag} change password`);
    await page.screenshot({ path: shot('5-forced-change'), fullPage: true });
    await page.locator('#current_password').fill(FORCED);
    await page.locator('#new_password').fill(NEW_GOOD);
    await page.locator('#new_password_repeat').fill(NEW_GOOD);
    await page.locator('form').getByRole('button', { name: L.change }).click();
    await page.waitForURL(/\/profile\?password=changed$/);
    check(`${tag}: forced change done, profile open`, true);

    // Navigation follows roles: an administrator is offered the API documentation.
    const apiDocs = lang === 'fa' ? 'مستندات API' : 'API documentation';
    await openMenuIfPhone(page, phone, lang);
    check(`${tag}: no API docs item for a person without roles`, (await page.getByRole('link', { name: apiDocs }).count()) === 0);
    await page.getByRole('button', { name: L.logout }).first().click();
    await page.waitForURL(/\/login$/);
    await page.locator('#national_code').fill('0084575948');
    await page.locator('#password').fill('Anjoman-Demo-1403');
    await page.locator('#captcha_answer').fill('12345');
    await page.locator('form').getByRole('button', { name: L.login }).click();
    await page.waitForURL(/\/profile$/);
    await page.getByTestId('roles').waitFor();
    await openMenuIfPhone(page, phone, lang);
    await page.getByRole('link', { name: apiDocs }).waitFor();
    check(`${tag}: administrator sees the API docs item`, true);
    if (phone) await page.keyboard.press('Escape');

    // The language switch flips the direction.
    s.stage = 'The language switch flips the direction.';
    await page.getByRole('button', { name: lang === 'fa' ? 'تغییر زبان به انگلیسی' : 'Switch the language to Persian' }).click();
    const flipped = await page.evaluate(() => document.documentElement.dir);
    check(`${tag}: language switch flips direction`, flipped === (lang === 'fa' ? 'ltr' : 'rtl'), flipped);
    await page.screenshot({ path: shot('6-switched'), fullPage: true });
  });
}

/** Swagger UI loads under the same security headers, with no console errors. */
async function swaggerUi(browser) {
  const server = await startServer();
  const page = await browser.newPage();
  const problems = watch(page, new Set());
  try {
    await page.goto(`${server.base}/api/docs/`);
    await page.locator('.swagger-ui .title').getByText('Anjoman API').waitFor({ timeout: 20_000 });
    await page.locator('.opblock-summary-path', { hasText: '/api/v1/auth/login' }).first().waitFor();
    check('Swagger UI shows the API', true);
    await page.screenshot({ path: join(shots, 'swagger-ui.png') });
  } catch (e) {
    check('Swagger UI shows the API', false, String(e.message).split('\n')[0]);
  } finally {
    check('Swagger UI: no console errors or failed requests', problems.length === 0, problems.join(' | '));
    await page.close();
    server.stop();
  }
}

/** Forgot password by both options, then the administrator's audit log and outbox. */
async function recoveryAndAdmin(browser, lang, viewport) {
  const smtp = await startSmtpSink();
  try {
    await withScenario(browser, lang, viewport, { label: 'recovery/admin', failShot: 'failure-recovery', env: { ANJOMAN_SMTP_URL: smtp.url } }, async (s) => {
      const { tag, phone, shot, server, context, page, expected, L } = s;
      s.stage = 'a person with a mobile and an e-mail';
      const code = randomNationalCode();
      const mobile = '09127654321';
      const email = `p${code}@example.ir`;
      const res = await fetch(`${server.base}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ national_code: code, password: GOOD, first_name: 'Nima', last_name: 'Yushij', mobile, email }),
      });
      check(`${tag}: person registered`, res.status === 201, String(res.status));

      s.stage = 'option 1: code by e-mail, then a new password';
      await page.goto(`${server.base}/login`);
      await page.getByRole('link', { name: lang === 'fa' ? 'رمز عبور را فراموش کرده‌اید؟' : 'Forgot your password?' }).click();
      await page.waitForURL(/\/forgot-password$/);
      await page.getByRole('heading', { level: 1, name: lang === 'fa' ? 'بازیابی رمز عبور' : 'Password recovery' }).waitFor();
      await axe(page, `${tag} forgot password`);
      await page.locator('#national_code').fill(code);
      await page.locator('#captcha_answer').fill('12345');
      await page.locator('form').getByRole('button', { name: lang === 'fa' ? 'ارسال کد' : 'Send the code' }).click();
      await page.locator('#code').waitFor();
      const mail = await smtp.waitFor(email);
      const otp = /\b(\d{6})\b/.exec(mail)?.[1];
      check(`${tag}: reset code arrived by e-mail`, Boolean(otp), mail);
      await page.locator('#code').fill(lang === 'fa' ? persianDigits(otp) : otp);
      await page.locator('#new_password').fill(NEW_GOOD);
      await page.locator('#new_password_repeat').fill(NEW_GOOD);
      await page.screenshot({ path: shot('7-reset-code'), fullPage: true });
      await page.locator('form').getByRole('button', { name: lang === 'fa' ? 'ثبت رمز عبور تازه' : 'Set the new password' }).click();
      await page.waitForURL(/\/login\?reset=1$/);
      await page.locator('#national_code').fill(code);
      await page.locator('#password').fill(NEW_GOOD);
      await page.locator('#captcha_answer').fill('12345');
      await page.locator('form').getByRole('button', { name: L.login }).click();
      await page.waitForURL(/\/profile$/);
      check(`${tag}: new password works`, true);
      await openMenuIfPhone(page, phone, lang);
      await page.getByRole('button', { name: L.logout }).first().click();
      await page.waitForURL(/\/login$/);

      s.stage = 'option 2: the page shows a code, the person texts it, the page confirms by itself';
      await page.goto(`${server.base}/forgot-password`);
      await page.getByRole('tab', { name: lang === 'fa' ? 'ارسال پیامک از تلفن همراه' : 'Text from your mobile' }).click();
      await page.locator('#national_code').fill(code);
      await page.locator('#captcha_answer').fill('12345');
      await page.locator('form').getByRole('button', { name: lang === 'fa' ? 'دریافت کد' : 'Get a code' }).click();
      const shown = await page.getByTestId('sms-code').innerText();
      const smsCode = shown.replace(/[\u06F0-\u06F9]/g, (c) => String(c.charCodeAt(0) - 0x06f0));
      await page.screenshot({ path: shot('8-sms-code'), fullPage: true });
      const body = JSON.stringify({ message_id: `e2e-${code}`, from: mobile, to: '10004346', text: smsCode });
      const signature = `sha256=${createHmac('sha256', INBOUND_SECRET).update(body).digest('hex')}`;
      const inbound = await fetch(`${server.base}/api/v1/sms/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-anjoman-signature': signature },
        body,
      });
      check(`${tag}: gateway relay accepted`, inbound.status === 200, String(inbound.status));
      await page.getByText(lang === 'fa' ? 'پیامک دریافت شد.' : 'Your text arrived.', { exact: false }).waitFor();
      check(`${tag}: page confirmed the text by itself`, true);
      await page.getByRole('link', { name: lang === 'fa' ? 'رفتن به صفحهٔ ورود' : 'Go to sign-in' }).click();
      await page.locator('#national_code').fill(code);
      await page.locator('#password').fill(code);
      await page.locator('#captcha_answer').fill('12345');
      await page.locator('form').getByRole('button', { name: L.login }).click();
      await page.waitForURL(/\/change-password$/);
      check(`${tag}: national code as password, change required`, true);

      s.stage = 'administrator: outbox and audit log';
      await context.clearCookies();
      await page.evaluate(() => localStorage.removeItem('anjoman.session'));
      await page.goto(`${server.base}/login`);
      await page.locator('#national_code').fill('0084575948');
      await page.locator('#password').fill('Anjoman-Demo-1403');
      await page.locator('#captcha_answer').fill('12345');
      await page.locator('form').getByRole('button', { name: L.login }).click();
      await page.waitForURL(/\/profile$/);
      await openMenuIfPhone(page, phone, lang);
      await page.getByRole('link', { name: lang === 'fa' ? 'پیام‌های ارسالی' : 'Outbox' }).click();
      await page.waitForURL(/\/admin\/outbox$/);
      await page.getByTestId('outbox-rows').getByText(email).waitFor();
      check(`${tag}: outbox lists the e-mail sent`, true);
      await axe(page, `${tag} outbox`);
      await page.screenshot({ path: shot('9-outbox'), fullPage: true });
      await page.goto(`${server.base}/admin/audit-log`);
      await page.getByText(lang === 'fa' ? 'زنجیرهٔ گزارش سالم است' : 'hash chain is intact', { exact: false }).waitFor();
      await page.locator('#filter-action').fill('auth.password_reset_by_sms');
      await page.getByRole('button', { name: lang === 'fa' ? 'اعمال فیلتر' : 'Filter' }).click();
      // The filtered page replaces the full one: wait until only the matching row is left.
      let rows = 0;
      for (let i = 0; i < 100; i++) {
        rows = await page.getByTestId('audit-rows').locator('tr').count();
        const match = await page.getByTestId('audit-rows').getByText('auth.password_reset_by_sms').count();
        if (rows === 1 && match === 1) break;
        await page.waitForTimeout(100);
      }
      check(`${tag}: audit log filters by action`, rows === 1, String(rows));
      await axe(page, `${tag} audit log`);
      await noHorizontalScroll(page, `${tag} audit log`);
      await page.screenshot({ path: shot('10-audit-log'), fullPage: true });

      s.stage = 'payments: the administrator issues an invoice, the member pays it at the sandbox gateway';
      await page.goto(`${server.base}/invoices`);
      await page.locator('#payer_national_code').fill('1234567891');
      await page.locator('#amount_rials').fill(lang === 'fa' ? '۱۵۰۰۰۰۰' : '1500000');
      await page.locator('#description').fill(lang === 'fa' ? 'حق عضویت ۱۴۰۵' : 'Membership fee 2026');
      await page.getByRole('button', { name: lang === 'fa' ? 'صدور' : 'Issue', exact: true }).click();
      await page.getByText(lang === 'fa' ? 'صورت‌حساب صادر شد.' : 'The invoice was issued.').waitFor();
      await axe(page, `${tag} invoices (admin)`);
      await openMenuIfPhone(page, phone, lang);
      await page.getByRole('button', { name: L.logout }).first().click();
      await page.waitForURL(/\/login$/);
      await page.locator('#national_code').fill('1234567891');
      await page.locator('#password').fill('Anjoman-Demo-1403');
      await page.locator('#captcha_answer').fill('12345');
      await page.locator('form').getByRole('button', { name: L.login }).click();
      await page.waitForURL(/\/profile$/);
      await page.goto(`${server.base}/invoices`);
      await page.getByTestId('invoice-rows').getByRole('button', { name: lang === 'fa' ? 'پرداخت' : 'Pay' }).click();
      await page.waitForURL(/\/sandbox-gateway\/S\d+$/);
      const amount = await page.getByTestId('sandbox-amount').innerText();
      check(`${tag}: the gateway shows the amount`, amount === (lang === 'fa' ? '۱٬۵۰۰٬۰۰۰ ریال' : '1,500,000 rials'), amount);
      await axe(page, `${tag} sandbox gateway`);
      await page.screenshot({ path: shot('11-sandbox-gateway'), fullPage: true });
      await page.getByRole('button', { name: lang === 'fa' ? 'پرداخت' : 'Pay', exact: true }).click();
      await page.waitForURL(/\/invoices\/[0-9a-f-]+\?payment=paid$/);
      await page.getByTestId('invoice-status').getByText(lang === 'fa' ? 'پرداخت‌شده' : 'Paid').waitFor();
      check(`${tag}: paid, verified and shown`, true);
      await axe(page, `${tag} invoice`);
      await page.screenshot({ path: shot('12-invoice-paid'), fullPage: true });
    });
  } finally {
    smtp.close();
  }
}

/** A person requests membership, the association's admin approves, the person sees it. */
async function membership(browser, lang, viewport) {
  await withScenario(browser, lang, viewport, { label: 'membership', failShot: 'failure-membership' }, async (s) => {
    const { tag, phone, shot, server, context, page, expected, L } = s;
    const { signIn, signOut } = s;
    s.stage = 'the person asks to join';
    const code = randomNationalCode();
    const res = await fetch(`${server.base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ national_code: code, password: GOOD, first_name: 'کاوه', last_name: 'آهنگر' }),
    });
    check(`${tag}: person registered`, res.status === 201, String(res.status));
    await signIn(code, GOOD);
    await page.goto(`${server.base}/associations`);
    await axe(page, `${tag} associations`);
    await page.getByTestId('association-list').getByText('انجمن انفورماتیک پزشکی ایران').click();
    await page.getByRole('heading', { level: 1, name: 'انجمن انفورماتیک پزشکی ایران' }).waitFor();
    await page.locator('form').getByRole('button', { name: lang === 'fa' ? 'درخواست عضویت' : 'Request membership' }).click();
    await page.getByTestId('membership-status').getByText(lang === 'fa' ? 'در انتظار بررسی' : 'Awaiting review').waitFor();
    check(`${tag}: request recorded as pending`, true);
    await axe(page, `${tag} association page`);
    await page.screenshot({ path: shot('13-membership-requested'), fullPage: true });
    await signOut();

    s.stage = "the association's admin approves";
    await signIn('0067749828', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/associations`);
    await page.getByTestId('association-list').getByText('انجمن انفورماتیک پزشکی ایران').click();
    await page.getByRole('link', { name: lang === 'fa' ? 'مدیریت اعضا' : 'Manage members' }).click();
    const row = page.getByTestId('member-rows').locator('tr', { hasText: 'کاوه آهنگر' });
    await row.waitFor();
    await axe(page, `${tag} members`);
    await page.screenshot({ path: shot('14-members'), fullPage: true });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: lang === 'fa' ? 'خروجی CSV' : 'Export CSV' }).click(),
    ]);
    const csvPath = await download.path();
    const csv = (await import('node:fs')).readFileSync(csvPath, 'utf8');
    check(`${tag}: CSV export lists the request`, csv.includes(code) && csv.includes('کاوه'), csv.slice(0, 200));
    await row.getByRole('button', { name: lang === 'fa' ? 'تأیید' : 'Approve' }).click();
    await row.waitFor({ state: 'detached' });
    check(`${tag}: approved and gone from the pending list`, true);

    s.stage = 'the admin records a member new to the system';
    const newcomer = randomNationalCode();
    const registerLabel = lang === 'fa' ? 'ثبت مستقیم عضو' : 'Register a member';
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
    check(`${tag}: the new member is recorded, to be claimed through recovery`, claim.status === 409 && claimBody.code === 'record_claim_by_recovery', `${claim.status} ${claimBody.code}`);

    s.stage = 'the admin assigns a board position';
    await page.goto(`${server.base}/associations`);
    await page.getByTestId('association-list').getByText('انجمن انفورماتیک پزشکی ایران').click();
    // The demo board has a president: the admin ends that term first, after confirming.
    const sitting = page.getByTestId('board-current').locator('li', { hasText: lang === 'fa' ? /^رئیس:/ : /^President:/ });
    const former = (await sitting.innerText()).split('\n')[0].split(':')[1].trim();
    await sitting.getByRole('button', { name: lang === 'fa' ? 'پایان دوره' : 'Close term' }).click();
    await page.getByRole('dialog').getByText(former, { exact: false }).waitFor();
    await page.waitForTimeout(400); // the dialog's fade-in, so contrast is judged at full opacity
    await axe(page, `${tag} close-term confirmation`);
    await page.getByRole('dialog').getByRole('button', { name: lang === 'fa' ? 'پایان دوره' : 'Close term' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await sitting.waitFor({ state: 'detached' });
    check(`${tag}: the closed term leaves the current board`, true);
    await page.locator('#seat-national-code').fill(code);
    await page.getByRole('button', { name: lang === 'fa' ? 'ثبت سمت' : 'Assign a position' }).click();
    await page.getByTestId('board-current').getByText('کاوه آهنگر', { exact: false }).waitFor();
    await axe(page, `${tag} association page (admin)`);
    await page.screenshot({ path: shot('14b-board'), fullPage: true });
    await signOut();

    s.stage = 'the board is public';
    await page.goto(`${server.base}/associations`);
    await page.getByTestId('association-list').getByText('انجمن انفورماتیک پزشکی ایران').click();
    const president = lang === 'fa' ? 'رئیس: کاوه آهنگر' : 'President: کاوه آهنگر';
    await page.getByTestId('board-current').getByText(president).waitFor();
    check(`${tag}: the board shows on the public page`, true);

    s.stage = 'the person sees it';
    await signIn(code, GOOD);
    await page.getByTestId('my-memberships').getByText(lang === 'fa' ? 'تأییدشده' : 'Approved').waitFor();
    check(`${tag}: the person sees "approved"`, true);
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
    await page.locator('form').getByRole('button', { name: L.register }).click();
    await page.getByTestId('claim-by-recovery').click();
    await page.waitForURL(/\/forgot-password$/);
    check(`${tag}: a recorded code's registration points to "forgot password"`, true);

    s.stage = 'the public status check';
    await page.goto(`${server.base}/associations`);
    await page.getByRole('link', { name: lang === 'fa' ? 'پیگیری وضعیت عضویت' : 'Membership status' }).click();
    await page.getByRole('heading', { level: 1, name: lang === 'fa' ? 'پیگیری وضعیت عضویت' : 'Membership status' }).waitFor();
    await page.locator('#national_code').fill(code);
    await page.locator('#captcha_answer').fill('12345');
    await page.locator('form').getByRole('button', { name: lang === 'fa' ? 'پیگیری' : 'Check' }).click();
    await page.getByTestId('status-answer').getByText(lang === 'fa' ? 'تأییدشده' : 'Approved').waitFor();
    check(`${tag}: the public check shows "approved"`, true);
    await axe(page, `${tag} status check`);
  });
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63504858f01f0003e402207b860edc0000000049454e44ae426082', 'hex');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** A members CSV of `n` distinct people; `bad` lines (1-based data rows) get a broken national code. */
function membersCsv(n, bad = []) {
  const lines = ['کد ملی,نام,نام خانوادگی,رشته,مقطع'];
  const seen = new Set();
  for (let i = 1; lines.length <= n; i++) {
    let code = randomNationalCode();
    while (seen.has(code)) code = randomNationalCode();
    seen.add(code);
    lines.push(`${bad.includes(i) ? '12345' : code},عضو,شمارهٔ ${i},انفورماتیک پزشکی,کارشناسی ارشد`);
  }
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`);
}

async function content(browser, lang, viewport) {
  await withScenario(browser, lang, viewport, { label: 'news/messages', failShot: 'failure-content' }, async (s) => {
    const { tag, phone, shot, server, page, expected, L } = s;
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
    await page.getByRole('button', { name: fa ? 'ویرایش مشخصات' : 'Edit profile' }).click();
    await page.getByTestId('logo-input').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG });
    await page.getByRole('dialog').getByRole('img').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: L.save }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const logo = page.getByRole('img', { name: fa ? 'نشان' : 'Logo' });
    await logo.waitFor();
    check(`${tag}: the logo shows on the association page`, (await logo.getAttribute('src'))?.startsWith('/api/v1/files/'));

    s.stage = 'the admin publishes news';
    const headline = `${fa ? 'خبر آزمایشی' : 'Test news'} ${Date.now()}`;
    await page.getByRole('button', { name: fa ? 'نوشتن خبر' : 'Write news' }).click();
    await page.locator('#news-title').fill(headline);
    await page.locator('#news-body').fill('نخستین بند خبر.\nبند دوم خبر.');
    await page.getByTestId('news-image-input').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
    await page.getByRole('dialog').locator('img').waitFor();
    await page.locator('#news-publish').check();
    await axe(page, `${tag} news editor`);
    await page.getByRole('dialog').getByRole('button', { name: L.save }).click();
    await page.getByTestId('news-admin-list').getByText(headline).waitFor();
    await page.screenshot({ path: shot('16-news-admin'), fullPage: true });

    s.stage = 'the admin imports members from CSV';
    await page.getByRole('link', { name: fa ? 'مدیریت اعضا' : 'Manage members' }).click();
    await page.getByRole('button', { name: fa ? 'ورود گروهی اعضا (CSV)' : 'Import members (CSV)' }).click();
    expected.add(400);
    await page.getByTestId('import-input').setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: membersCsv(20, [7]) });
    const rejectedRow = page.getByTestId('import-rejected').locator('tr');
    await rejectedRow.first().waitFor();
    check(`${tag}: the one bad row is reported by its line`, (await rejectedRow.count()) === 1 && (await rejectedRow.first().innerText()).includes(fa ? '۸' : '8'), await rejectedRow.first().innerText());
    await axe(page, `${tag} import report`);
    await page.screenshot({ path: shot('17-import-rejected'), fullPage: true });
    const rows = phone ? 1000 : 10000;
    await page.getByTestId('import-input').setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: membersCsv(rows) });
    const confirm = page.getByRole('button', { name: fa ? `ثبت ${persianDigits(String(rows))} عضو` : `Import ${rows} members` });
    await confirm.waitFor({ timeout: 60_000 });
    await confirm.click();
    await page.getByRole('dialog').getByRole('status').getByText(fa ? 'عضو ثبت شد' : 'members were imported').waitFor({ timeout: 120_000 });
    check(`${tag}: ${rows} members imported after the check`, true);
    await page.getByRole('dialog').getByRole('button', { name: fa ? 'بستن' : 'Close' }).click();
    await page.locator('#members-status').click();
    await page.getByRole('option', { name: fa ? 'تأییدشده' : 'Approved' }).click();
    await page.locator('#members-search').fill(`شمارهٔ ${rows}`);
    await page.getByTestId('member-rows').getByText(`عضو شمارهٔ ${rows}`, { exact: true }).waitFor();
    await signOut();

    s.stage = 'the news is public';
    await page.goto(`${server.base}/news`);
    await page.getByRole('heading', { level: 1, name: fa ? 'اخبار' : 'News' }).waitFor();
    await page.getByTestId('news-card').filter({ hasText: headline }).click();
    await page.getByRole('heading', { level: 1, name: headline }).waitFor();
    await page.getByText('بند دوم خبر.').waitFor();
    check(`${tag}: published news is visible publicly`, true);
    await axe(page, `${tag} news item`);
    await noHorizontalScroll(page, `${tag} news item`);

    s.stage = 'the commission writes a letter';
    const subject = `${fa ? 'نامهٔ آزمایشی' : 'Test letter'} ${Date.now()}`;
    await signIn('0084575948', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/messages`);
    await page.getByRole('heading', { level: 1, name: fa ? 'پیام‌ها' : 'Messages' }).waitFor();
    await page.getByRole('tab', { name: fa ? 'کمیسیون انجمن‌ها' : 'Commission of associations' }).click();
    await page.getByRole('button', { name: fa ? 'پیام تازه' : 'New message' }).click();
    await page.locator('#message-associations').fill('انفورماتیک');
    await page.getByRole('option', { name: 'انجمن انفورماتیک پزشکی ایران' }).click();
    await page.locator('#message-subject').fill(subject);
    await page.locator('#message-body').fill('متن نامهٔ کمیسیون.');
    await page.getByTestId('attachment-input').setInputFiles({ name: 'circular.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('dialog').getByText('circular.pdf').waitFor();
    await axe(page, `${tag} compose`);
    await page.getByRole('dialog').getByRole('button', { name: fa ? 'ارسال' : 'Send' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: fa ? 'فرستاده‌ها' : 'Sent' }).click();
    await page.getByTestId('message-rows').getByText(subject).waitFor();
    await signOut();

    s.stage = "the association's inbox";
    await signIn('0067749828', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/messages`);
    await page.getByRole('tab', { name: /انجمن انفورماتیک پزشکی ایران/ }).click();
    const letter = page.getByTestId('message-rows').locator('tr', { hasText: subject });
    await letter.waitFor();
    check(`${tag}: the letter arrives unread`, (await letter.getAttribute('data-unread')) === 'true');
    await axe(page, `${tag} inbox`);
    await page.screenshot({ path: shot('18-inbox'), fullPage: true });
    await letter.getByRole('button', { name: subject }).click();
    await page.getByTestId('message-body').getByText('متن نامهٔ کمیسیون.').waitFor();
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('dialog').getByText('circular.pdf').click()]);
    check(`${tag}: the attachment downloads`, (await file.suggestedFilename()) === 'circular.pdf', await file.suggestedFilename());
    await page.getByRole('dialog').getByRole('button', { name: fa ? 'بستن' : 'Close' }).click();
    await page.waitForFunction((subj) => [...document.querySelectorAll('[data-testid=message-rows] tr')].some((r) => r.textContent.includes(subj) && r.dataset.unread === 'false'), subject);
    check(`${tag}: opened, the letter is read`, true);
    await noHorizontalScroll(page, `${tag} inbox`);
  });
}

async function voting(browser, lang, viewport) {
  const smtp = await startSmtpSink();
  try {
    await withScenario(browser, lang, viewport, { label: 'voting', failShot: 'failure-voting', env: { ANJOMAN_SMTP_URL: smtp.url, ANJOMAN_ELECTION_TICK_MS: '300' } }, async (s) => {
      const { tag, phone, shot, server, page, L } = s;
      const fa = lang === 'fa';
      const { signIn, signOut } = s;
      const title = 'انتخابات هیئت‌مدیرهٔ انجمن انفورماتیک پزشکی ۱۴۰۵';
      const openElection = async () => {
        await page.goto(`${server.base}/elections`);
        await page.getByRole('heading', { level: 1, name: fa ? 'انتخابات' : 'Elections' }).waitFor();
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
      await page.getByRole('link', { name: fa ? 'رأی می‌دهم' : 'Vote' }).click();
      await page.getByTestId('vote-blocked').getByText(fa ? 'شما عضو این انجمن نیستید.' : 'You are not a member of this association.').waitFor();
      check(`${tag}: a non-member is told "not a member of this association"`, true);
      await signOut();

      s.stage = 'the member votes with the e-mail code';
      await signIn('0061234567', 'Anjoman-Demo-1403');
      await openElection();
      await page.getByRole('link', { name: fa ? 'رأی می‌دهم' : 'Vote' }).click();
      await page.getByTestId('remaining').waitFor();
      check(`${tag}: the remaining time is shown`, /\d|[۰-۹]/.test(await page.getByTestId('remaining').innerText()));
      await axe(page, `${tag} vote: channel`);
      await page.getByRole('button', { name: fa ? 'ادامه' : 'Next' }).click();
      const boxes = page.getByRole('checkbox');
      await boxes.first().waitFor();
      await boxes.nth(0).check();
      await boxes.nth(1).check();
      await boxes.nth(4).check();
      await axe(page, `${tag} vote: choices`);
      await page.screenshot({ path: shot('19-vote-choices'), fullPage: true });
      await page.getByRole('button', { name: fa ? 'بازبینی انتخاب‌ها' : 'Review my choices' }).click();
      await page.getByTestId('review').waitFor();
      const mail = await smtp.waitFor('voter@example.ir');
      const otp = /(\d{6})/.exec(mail)?.[1];
      check(`${tag}: the voting code arrived by e-mail`, Boolean(otp), mail);
      s.stage = 'the voter audits an encrypted ballot, then casts a fresh one';
      const sealedTracker = page.getByTestId('sealed-tracker');
      await sealedTracker.waitFor();
      const first = (await sealedTracker.innerText()).trim();
      await page.getByTestId('audit').click();
      await page.getByRole('dialog').getByRole('button', { name: fa ? 'وارسی این برگهٔ رمزشده' : 'Audit this encrypted ballot' }).click();
      const audit = page.getByTestId('audit-result');
      await audit.waitFor();
      const audited = await audit.innerText();
      check(`${tag}: the audited ballot opens to the voter's choices, checked on the device`, audited.includes(first) && audited.includes(fa ? 'همهٔ اثبات‌ها درست است' : 'every proof holds'), audited);
      await page.waitForFunction((old) => {
        const t = document.querySelector('[data-testid="sealed-tracker"]')?.textContent?.trim();
        return t && t !== old;
      }, first);
      const toCast = (await sealedTracker.innerText()).trim();
      check(`${tag}: the audited ballot is discarded and a new one sealed`, toCast !== first && /^[A-Za-z0-9_-]{43}$/.test(toCast), `${first} / ${toCast}`);
      await page.locator('#vote-code').fill(fa ? persianDigits(otp) : otp);
      await page.waitForTimeout(400); // the cast button's colour transition as it becomes enabled
      await axe(page, `${tag} vote: review`);
      await page.screenshot({ path: shot('19b-vote-review-audit'), fullPage: true });
      await page.getByRole('button', { name: fa ? 'ثبت نهایی رأی' : 'Cast my ballot' }).click();
      const tracking = (await page.getByTestId('tracking-code').innerText()).trim();
      check(`${tag}: the tracking code is the hash of the ballot sealed on the review page`, tracking === toCast, `${tracking} / ${toCast}`);
      await axe(page, `${tag} vote: done`);
      await noHorizontalScroll(page, `${tag} vote: done`);
      await page.screenshot({ path: shot('20-vote-done'), fullPage: true });
      const id = page.url().split('/elections/')[1]?.split('/')[0];
      const bulletin = await (await fetch(`${server.base}/api/v1/elections/${id}/bulletin`)).json();
      check(`${tag}: the tracking code is on the public bulletin`, bulletin.tracking_codes.includes(tracking) && !bulletin.tracking_codes.includes(first), JSON.stringify(bulletin));
      await page.getByTestId('find-on-bulletin').click();
      await page.getByTestId('bulletin-found').waitFor();
      check(`${tag}: the voter finds the ballot in the public box by its tracking code`, true);
      await axe(page, `${tag} bulletin`);
      await noHorizontalScroll(page, `${tag} bulletin`);

      s.stage = 'no second ballot';
      await page.goto(`${server.base}/elections/${id}/vote`);
      await page.getByTestId('vote-blocked').waitFor();
      check(`${tag}: voting again is refused`, (await page.getByTestId('vote-blocked').innerText()).includes(fa ? 'پیش‌تر ثبت شده' : 'already cast'));
    });
  } finally {
    smtp.close();
  }
}

async function electionAdmin(browser, lang, viewport) {
  await withScenario(browser, lang, viewport, { label: 'election admin', failShot: 'failure-election-admin', env: { ANJOMAN_ELECTION_TICK_MS: '300' } }, async (s) => {
    const { tag, phone, shot, server, page, L } = s;
    const fa = lang === 'fa';
    const { signIn, signOut } = s;
    const api = async (method, path, token, body) => {
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
      starts_at: new Date(now + 45_000).toISOString(),
      ends_at: new Date(now + 75_000).toISOString(),
      contests: [{ title: fa ? 'بازرس' : 'Inspector', seats: 1, max_selections: 1 }],
      trustees: ['0067749828', '1234567891'],
      trustee_threshold: 2,
    });
    check(`${tag}: election created as a draft`, created.status === 201, JSON.stringify(created.body));
    const id = created.body.id;
    await signIn('0067749828', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/elections/${id}`);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.locator('#candidate-national_code').fill('0061234567');
    await page.locator('#candidate-election_code').fill('7');
    await page.getByTestId('election-admin').getByRole('button', { name: fa ? 'افزودن نامزد' : 'Add a candidate' }).click();
    await page.getByTestId('candidates').getByText('بهاره صالحی', { exact: false }).waitFor();
    await axe(page, `${tag} election admin (draft)`);

    s.stage = 'the two trustees make the election key, each in their own browser';
    const other = await s.context.browser().newContext({ viewport, locale: fa ? 'fa-IR' : 'en-GB' });
    await other.addInitScript((l) => localStorage.setItem('anjoman.lang', l), lang);
    const page2 = await other.newPage();
    page2.setDefaultTimeout(15_000);
    const problems2 = watch(page2, new Set());
    const T = fa
      ? { transport: 'ساخت کلید انتقال من', dealing: 'پخش سهم‌های من', confirm: 'وارسی سهم‌ها و ذخیرهٔ پروندهٔ کلید', decrypt: 'انتخاب پروندهٔ کلید و رمزگشایی' }
      : { transport: 'Make my transport key', dealing: 'Deal my shares', confirm: 'Check my shares and save my key file', decrypt: 'Choose my key file and decrypt' };
    try {
      await page2.goto(`${server.base}/login`);
      await page2.locator('#national_code').fill('1234567891');
      await page2.locator('#password').fill('Anjoman-Demo-1403');
      await page2.locator('#captcha_answer').fill('12345');
      await page2.locator('form').getByRole('button', { name: L.login }).click();
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
        for (const [p, who] of [[page, 'admin'], [page2, 'member']]) {
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
      check(`${tag}: the trustees made the election key in their browsers, each keeping a key file`, keyFiles.length === 2);
      await page.goto(`${server.base}/elections/${id}`);
      await page.getByTestId('ceremony-state').getByText(fa ? 'کلید انتخابات آماده است' : 'The election key is ready').waitFor();
    await page.getByRole('button', { name: fa ? 'انتشار' : 'Publish', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: fa ? 'انتشار' : 'Publish' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await reloadUntil(fa ? 'رأی‌گیری باز' : 'Voting open', 40);
    check(`${tag}: the worker opened the election`, true);
    await signOut();

    s.stage = 'the member votes by texting the code';
    await signIn('0061234567', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/elections/${id}/vote`);
    await page.getByRole('radio', { name: fa ? 'کدی نشانم بده تا از تلفن همراه ثبت‌شده پیامک کنم' : 'Show me a code to text from my registered mobile' }).check();
    await page.getByRole('button', { name: fa ? 'ادامه' : 'Next' }).click();
    await page.getByRole('checkbox').first().check();
    await page.getByRole('button', { name: fa ? 'بازبینی انتخاب‌ها' : 'Review my choices' }).click();
    const instructions = page.getByTestId('inbound-instructions');
    await instructions.waitFor();
    const shown = /([0-9۰-۹]{6})/.exec(await instructions.innerText())?.[1] ?? '';
    const digits = shown.replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
    const body = JSON.stringify({ message_id: `e2e-vote-${Date.now()}`, from: '09120001234', to: '10004346', text: digits });
    const signature = `sha256=${createHmac('sha256', INBOUND_SECRET).update(body).digest('hex')}`;
    const relayed = await fetch(`${server.base}/api/v1/sms/inbound`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-anjoman-signature': signature }, body });
    check(`${tag}: the voter's SMS was relayed`, relayed.status === 200, String(relayed.status));
    await page.getByText(fa ? 'پیامک شما رسید' : 'Your SMS arrived', { exact: false }).waitFor();
    check(`${tag}: the page confirmed the SMS by itself`, true);
    await page.waitForTimeout(400);
    await axe(page, `${tag} vote by SMS: review`);
    await page.getByRole('button', { name: fa ? 'ثبت نهایی رأی' : 'Cast my ballot' }).click();
    await page.getByTestId('tracking-code').waitFor();
    await signOut();

    s.stage = 'closing; the trustees decrypt the totals; counting and publishing the results';
    await signIn('0067749828', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/elections/${id}`);
    await reloadUntil(fa ? 'شمارش آرا' : 'Count the votes', 60);
    // One trustee of the two needed has decrypted: the count waits, and says why.
    await page.goto(`${server.base}/elections/${id}/trustee`);
    await page.getByTestId('key-file').setInputFiles(keyFiles[0].path);
    await page.getByTestId('decrypted').waitFor();
    await axe(page, `${tag} trustee: decrypted`);
    await page.goto(`${server.base}/elections/${id}`);
    s.expected.add(409);
    await page.getByRole('button', { name: fa ? 'شمارش آرا' : 'Count the votes' }).click();
    await page.getByRole('dialog').getByRole('button', { name: fa ? 'شمارش آرا' : 'Count the votes' }).click();
    await page.getByText(fa ? 'امین باید رمزگشایی کنند' : 'trustees must decrypt before the count', { exact: false }).waitFor();
    check(`${tag}: the count waits for the threshold of trustees`, true);
    // A key file of another trustee is refused on the device, before anything is sent.
    await page2.goto(`${server.base}/elections/${id}/trustee`);
    await page2.getByTestId('key-file').setInputFiles(keyFiles[0].path);
    await page2.getByText(fa ? 'این پروندهٔ کلید شما برای این انتخابات نیست' : 'This is not your key file for this election').waitFor();
    await page2.getByTestId('key-file').setInputFiles(keyFiles[1].path);
    await page2.getByTestId('decrypted').waitFor();
    check(`${tag}: the second trustee decrypted with their own key file`, true);
    await page.getByRole('button', { name: fa ? 'شمارش آرا' : 'Count the votes' }).click();
    await page.getByRole('dialog').getByRole('button', { name: fa ? 'شمارش آرا' : 'Count the votes' }).click();
    await page.getByRole('button', { name: fa ? 'اعلام نتایج' : 'Publish the results' }).click();
    await page.getByRole('dialog').getByRole('button', { name: fa ? 'اعلام نتایج' : 'Publish the results' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await signOut();
    await page.goto(`${server.base}/elections/${id}`);
    const results = page.getByTestId('results');
    await results.waitFor();
    const text = await results.innerText();
    check(`${tag}: the published results show the elected candidate`, text.includes('بهاره صالحی') && text.includes(fa ? 'برگزیده' : 'Elected'), text);
    await axe(page, `${tag} results`);
    await noHorizontalScroll(page, `${tag} results`);
    await page.screenshot({ path: shot('21-results'), fullPage: true });
    await page.getByRole('link', { name: fa ? 'صورت‌جلسهٔ چاپی' : 'Printable minutes' }).click();
    const minutes = page.getByTestId('minutes');
    await minutes.getByText('بهاره صالحی').waitFor();
    check(`${tag}: the printable minutes list the count`, (await minutes.innerText()).includes(fa ? 'امضای' : 'Signed by'));
    await axe(page, `${tag} minutes`);

    s.stage = 'the election record verifies with anjoman verify-election';
    const record = await fetch(`${server.base}/api/v1/elections/${id}/record`);
    const recordPath = join(shots, `record-${lang}-${phone ? 'phone' : 'desktop'}.json`);
    writeFileSync(recordPath, Buffer.from(await record.arrayBuffer()));
    const verified = spawnSync(binary, ['verify-election', recordPath], { encoding: 'utf8' });
    check(`${tag}: anjoman verify-election accepts the record`, verified.status === 0 && verified.stdout.includes('1 ballots'), verified.stdout + verified.stderr);
    } finally {
      check(`${tag} second trustee's browser: no console errors or failed requests`, problems2.length === 0, problems2.join(' | '));
      await other.close();
    }
  });
}

async function officers(browser, lang, viewport) {
  await withScenario(browser, lang, viewport, { label: 'officers', failShot: 'failure-officers' }, async (s) => {
    const { tag, shot, server, page } = s;
    const fa = lang === 'fa';
    const { signIn, signOut } = s;
    const T = fa
      ? { register: 'ثبت‌نام', submitQ: 'ارسال درخواست احراز صلاحیت', send: 'ارسال', deficiencies: 'اعلام نقص', resubmit: 'ارسال پس از رفع نقص', approve: 'تأیید', pay: 'پرداخت هزینه', tehran: 'تهران', returned: 'بازگشته به من', fresh: 'تازه' }
      : { register: 'Register', submitQ: 'Submit the qualification request', send: 'Submit', deficiencies: 'Declare deficiencies', resubmit: 'Send back after fixing', approve: 'Approve', pay: 'Pay the fee', tehran: 'تهران', returned: 'Returned to me', fresh: 'New' };
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
    await page.getByRole('heading', { level: 2, name: fa ? 'ثبت‌نام مسئول فنی' : 'Register as a technical officer' }).waitFor();
    await page.locator('#officer-father').fill(fa ? 'محمود' : 'Mahmoud');
    await page.locator('#officer-id-card').fill('4321');
    await page.locator('#officer-province').click();
    await page.getByRole('option', { name: T.tehran, exact: true }).click();
    await page.locator('#officer-city').click();
    await page.getByRole('option', { name: 'ری' }).click();
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
    await status(fa ? 'در کارتابل دانشگاه' : 'In the university’s queue');
    check(`${tag}: the officer registered and the request is in Tehran's queue`, true);
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
    await page.getByTestId('review-status').getByText(fa ? 'دارای نقص' : 'Deficiencies to fix').waitFor();
    await signOut();

    s.stage = 'the officer fixes it';
    await signIn(code, GOOD);
    await page.goto(`${server.base}/officer`);
    const deficiencies = await page.getByTestId('deficiencies').innerText();
    check(`${tag}: the officer sees the deficiency list`, deficiencies.includes(fa ? 'خوانا نیست' : 'not legible'), deficiencies);
    await page.getByTestId('fix-document').setInputFiles({ ...pdf, name: 'degree-clear.pdf' });
    await page.getByRole('button', { name: 'degree-clear.pdf' }).waitFor();
    await page.getByRole('button', { name: T.resubmit }).click();
    await status(fa ? 'رفع نقص‌شده، نزد کارشناس' : 'Fixed, back with the reviewer');
    await signOut();

    s.stage = 'the same reviewer finds it returned and approves';
    await signIn('0071234561', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/reviews`);
    await page.getByRole('tab', { name: T.returned }).click();
    await page.getByTestId('review-queue').getByText('Nasrin Ahmadi', { exact: false }).click();
    await page.getByRole('button', { name: T.approve, exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: T.approve }).click();
    await page.getByTestId('review-status').getByText(fa ? 'تأییدشده، در انتظار پرداخت' : 'Approved: fee due').waitFor();
    check(`${tag}: the same reviewer approved after the fix`, true);
    await signOut();

    s.stage = 'the officer pays in the sandbox gateway and is qualified';
    await signIn(code, GOOD);
    await page.goto(`${server.base}/officer`);
    await page.getByTestId('fee').waitFor();
    await axe(page, `${tag} officer fee`);
    await page.getByRole('button', { name: T.pay }).click();
    await page.waitForURL(/\/sandbox-gateway\/S\d+$/);
    await page.getByRole('button', { name: fa ? 'پرداخت' : 'Pay', exact: true }).click();
    await page.waitForURL(/\/invoices\/[0-9a-f-]+\?payment=paid$/);
    // Let the returning page restore its session before navigating on (a reload in the middle of
    // a token refresh would present a rotated refresh token).
    await page.getByTestId('invoice-status').getByText(fa ? 'پرداخت‌شده' : 'Paid').waitFor();
    await page.goto(`${server.base}/officer`);
    const qualified = await page.getByTestId('qualified').innerText();
    check(`${tag}: qualified once the payment is verified`, qualified.includes(fa ? 'احراز صلاحیت از' : 'Qualified since'), qualified);
    await axe(page, `${tag} officer qualified`);
    await page.screenshot({ path: shot('23-officer-qualified'), fullPage: true });
  });
}

async function distributors(browser, lang, viewport) {
  await withScenario(browser, lang, viewport, { label: 'distributors', failShot: 'failure-distributors' }, async (s) => {
    const { tag, shot, server, page } = s;
    const fa = lang === 'fa';
    const { signIn, signOut } = s;
    const T = fa
      ? { add: 'افزودن شعبه', accept: 'می‌پذیرم', approve: 'تأیید', cooperation: 'همکاری', end: 'پایان همکاری' }
      : { add: 'Add a branch', accept: 'Accept', approve: 'Approve', cooperation: 'Cooperation', end: 'End the cooperation' };
    const branch = fa ? 'شعبهٔ ری' : 'Rey branch';

    s.stage = 'the manager adds a branch and names a qualified officer';
    await signIn('0081234562', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/distributor`);
    await page.getByTestId('branches').waitFor();
    await page.locator('#branch-name').fill(branch);
    await page.locator('#branch-province').click();
    await page.getByRole('option', { name: 'تهران', exact: true }).click();
    await page.locator('#branch-city').click();
    await page.getByRole('option', { name: 'ری' }).click();
    await page.locator('#branch-address').fill(fa ? 'ری، میدان شهرداری، پلاک ۷' : 'Rey, Shahrdari Sq., No. 7');
    await page.locator('#branch-officer').fill('0074567896');
    await page.getByRole('listbox').waitFor({ state: 'detached' });
    await page.waitForTimeout(400);
    await axe(page, `${tag} distributor`);
    await page.getByRole('button', { name: T.add }).last().click();
    await page.getByTestId('branches').getByText(branch).waitFor();
    check(`${tag}: the branch is added with a cooperation request`, (await page.getByTestId('cooperation-archive').innerText()).includes('مهسا پاکزاد'));
    await page.screenshot({ path: shot('24-distributor'), fullPage: true });
    await signOut();

    s.stage = 'the officer accepts';
    await signIn('0074567896', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/officer`);
    await page.getByTestId('cooperations').getByRole('button', { name: T.accept, exact: true }).click();
    await page.getByTestId('cooperations').getByText(fa ? 'نزد دانشگاه' : 'With the university').waitFor();
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
    await page.getByTestId('cooperations').getByText(fa ? 'فعال' : 'Active').waitFor();
    await page.getByTestId('cooperations').getByRole('button', { name: T.end }).click();
    await page.getByRole('dialog').getByRole('button', { name: T.end }).click();
    await page.getByTestId('cooperations').getByText(fa ? 'پایان‌یافته' : 'Ended').waitFor();
    check(`${tag}: the officer ended the cooperation`, true);
    const admin = await (await fetch(`${server.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ national_code: '0084575948', password: 'Anjoman-Demo-1403' }) })).json();
    // The manager (mobile 09121110001) was texted twice: the approval, then the ending.
    const outbox = await (await fetch(`${server.base}/api/v1/outbox?channel=sms&recipient=09121110001&per_page=100`, { headers: { authorization: `Bearer ${admin.access_token}` } })).json();
    const texted = outbox.items.filter((m) => m.purpose === 'cooperation');
    check(`${tag}: the manager's SMS about the ending is in the outbox`, texted.length === 2, JSON.stringify(outbox.items.map((m) => [m.purpose, m.created_at])));
    await signOut();

    s.stage = 'the directorate names a reviewer for Fars';
    await signIn('0499370899', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/reviews`);
    await page.getByTestId('directorate-settings').waitFor();
    await page.locator('#reviewer-province').click();
    await page.getByRole('option', { name: /^فارس/ }).click();
    await page.getByRole('listbox').waitFor({ state: 'detached' });
    await page.locator('#reviewer-code').fill('1234567891');
    await page.getByRole('button', { name: fa ? 'تعیین به‌عنوان کارشناس' : 'Name as reviewer' }).click();
    await page.getByText(fa ? 'کارشناس تعیین شد.' : 'The reviewer was named.').waitFor();
    await page.waitForTimeout(400);
    await axe(page, `${tag} directorate settings`);
    check(`${tag}: the directorate named a reviewer`, true);
  });
}

/**
 * Ending things: the association's admin removes a member with a reason (confirmed first) and
 * reads the membership's history; another member leaves from their profile; the directorate
 * suspends a demo officer's qualification from the register, reinstates it and reads its history.
 */
async function endings(browser, lang, viewport) {
  await withScenario(browser, lang, viewport, { label: 'endings', failShot: 'failure-endings' }, async (s) => {
    const { tag, phone, shot, server, page } = s;
    const { signIn, signOut } = s;
    const fa = lang === 'fa';
    const api = async (path, token, body) => {
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
      check(`${tag}: member ${first} recorded`, reg.status === 201 && added.status === 201, `${reg.status} ${added.status}`);
      people.push({ code, name: `${first} ${last}` });
    }
    const [removed, leaver] = people;

    s.stage = 'the admin removes a member with a reason';
    await signIn('0067749828', 'Anjoman-Demo-1403');
    await page.goto(`${server.base}/associations/${assoc.id}/members`);
    await page.locator('#members-status').click();
    await page.getByRole('option', { name: fa ? 'همه' : 'All' }).click();
    await page.getByRole('listbox').waitFor({ state: 'detached' });
    await page.locator('#members-search').fill(removed.code);
    const row = page.getByTestId('member-rows').locator('tr', { hasText: removed.name });
    await row.waitFor();
    await row.getByRole('button', { name: fa ? 'لغو عضویت' : 'Remove' }).click();
    const dialog = page.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: fa ? 'لغو عضویت' : 'Remove' });
    check(`${tag}: removal waits for a reason`, await confirm.isDisabled());
    const why = fa ? 'درخواست کتبی هیئت‌مدیره' : 'Written decision of the board';
    await dialog.locator('#end-reason').fill(why);
    await page.waitForTimeout(400); // the dialog's fade-in, so contrast is judged at full opacity
    await axe(page, `${tag} remove member`);
    await confirm.click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText(fa ? `عضویت ${removed.name} لغو شد.` : `${removed.name} was removed.`).waitFor();
    await row.getByText(fa ? 'لغو عضویت' : 'Removed', { exact: true }).waitFor();
    check(`${tag}: the member is removed`, true);
    await row.getByRole('button', { name: fa ? 'سابقه' : 'History' }).click();
    const history = page.getByTestId('membership-history');
    await history.getByText(why, { exact: false }).waitFor();
    check(`${tag}: the history keeps the approval and the removal`, (await history.locator('li').count()) >= 2, String(await history.locator('li').count()));
    await page.waitForTimeout(400);
    await axe(page, `${tag} membership history`);
    await page.screenshot({ path: shot('30-membership-history'), fullPage: true });
    await page.getByRole('dialog').getByRole('button', { name: fa ? 'بستن' : 'Close' }).click();
    await noHorizontalScroll(page, `${tag} members`);

    s.stage = "the association's admin reads its part of the audit log";
    await openMenuIfPhone(page, phone, lang);
    await page.getByRole('link', { name: fa ? 'گزارش رویدادها' : 'Audit log' }).first().click();
    await page.waitForURL(/\/admin\/audit-log$/);
    await page.locator('#filter-action').fill('membership.removed');
    await page.getByRole('button', { name: fa ? 'اعمال فیلتر' : 'Filter' }).click();
    await page.getByRole('cell', { name: `association:${assoc.id}` }).first().waitFor();
    check(`${tag}: the admin reads the removal in the association's audit log`, true);
    await axe(page, `${tag} scoped audit log`);
    await signOut();

    s.stage = 'a member leaves from their profile';
    await signIn(leaver.code, GOOD);
    const mine = page.getByTestId('my-memberships');
    await mine.getByText(fa ? 'تأییدشده' : 'Approved').waitFor();
    await mine.getByRole('button', { name: fa ? 'خروج از انجمن' : 'Leave the association' }).click();
    await page.getByRole('dialog').getByText(fa ? 'رأی نخواهید داشت' : 'no vote', { exact: false }).waitFor();
    await page.waitForTimeout(400);
    await axe(page, `${tag} leave association`);
    await page.getByRole('dialog').getByRole('button', { name: fa ? 'خروج' : 'Leave', exact: true }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await mine.getByText(fa ? 'خارج‌شده' : 'Left', { exact: true }).waitFor();
    check(`${tag}: the member has left`, (await mine.getByRole('button', { name: fa ? 'خروج از انجمن' : 'Leave the association' }).count()) === 0);
    await noHorizontalScroll(page, `${tag} profile after leaving`);
    await signOut();

    s.stage = 'the directorate suspends and reinstates a qualification';
    await signIn('0499370899', 'Anjoman-Demo-1403');
    await openMenuIfPhone(page, phone, lang);
    await page.getByRole('link', { name: fa ? 'فهرست مسئولان فنی' : 'Officers', exact: true }).first().click();
    await page.waitForURL(/\/qualified-officers$/);
    await page.getByRole('heading', { level: 1, name: fa ? 'مسئولان فنی احراز صلاحیت‌شده' : 'Qualified technical officers' }).waitFor();
    await page.locator('#qualified-search').fill('0074567896');
    const officer = page.getByTestId('qualified-rows').locator('tr', { hasText: 'مهسا پاکزاد' });
    await officer.getByText(fa ? 'فعال' : 'Active', { exact: true }).waitFor();
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
    await act(fa ? 'تعلیق' : 'Suspend', fa ? 'گزارش بازرسی استان' : 'Provincial inspection report');
    await officer.getByText(fa ? 'تعلیق‌شده' : 'Suspended', { exact: true }).waitFor();
    check(`${tag}: the qualification is suspended`, true);
    await page.screenshot({ path: shot('31-qualification-suspended'), fullPage: true });
    await act(fa ? 'رفع تعلیق' : 'Reinstate', fa ? 'رسیدگی شد' : 'Looked into and cleared');
    await officer.getByText(fa ? 'فعال' : 'Active', { exact: true }).waitFor();
    await officer.getByRole('button', { name: fa ? 'سابقه' : 'History' }).click();
    const steps = page.getByTestId('standing-history');
    await steps.getByText(fa ? 'رسیدگی شد' : 'Looked into and cleared', { exact: false }).waitFor();
    check(`${tag}: the standing history lists both changes`, (await steps.locator('li').count()) === 2, String(await steps.locator('li').count()));
  });
}

/** A third party's webhook endpoint on loopback: keeps every POST with its headers. */
async function startReceiver() {
  const { createServer: createHttpServer } = await import('node:http');
  const calls = [];
  const server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/hooks`, calls, stop: () => server.close() };
}

async function until(condition, ms = 15_000) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) return false;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return true;
}

async function integrations(browser, lang, viewport) {
  const receiver = await startReceiver();
  try {
    await withScenario(browser, lang, viewport, { label: 'integrations', failShot: 'failure-integrations', env: { ANJOMAN_OUTBOX_POLL_MS: '200', ANJOMAN_WEBHOOK_PRIVATE_TARGETS: 'on' } }, async (s) => {
      const { tag, shot, server, page } = s;
      const fa = lang === 'fa';
      const T = fa
        ? { scope: 'استعلام عضویت', create: 'ساخت کلید', saved: 'نگهش داشتم', rotate: 'تعویض رمز', revoke: 'ابطال', revoked: 'باطل', event: 'تأیید عضویت', subscribe: 'ثبت', deliveries: 'ارسال‌ها', sent: 'فرستاده شد', again: 'ارسال دوباره', need: 'دست‌کم یک دسترسی را انتخاب کنید.' }
        : { scope: 'Verify a member’s status', create: 'Create key', saved: 'I have stored it', rotate: 'Rotate', revoke: 'Revoke', revoked: 'Revoked', event: 'Membership approved', subscribe: 'Subscribe', deliveries: 'Deliveries', sent: 'Sent', again: 'Send again', need: 'Choose at least one scope.' };
      const verify = (key) =>
        fetch(`${server.base}/api/v1/integrations/members/verify?association=medical-informatics&national_code=0061234567`, { headers: { 'x-api-key': key } });

      s.stage = 'the commission admin makes a key for a third party';
      await s.signIn('0084575948', 'Anjoman-Demo-1403');
      await page.goto(`${server.base}/admin/integrations`);
      await page.locator('#key-name').fill(fa ? 'کارگزینی دانشگاه تهران' : 'Tehran University HR');
      s.expected.add(400);
      await page.getByRole('button', { name: T.create }).click();
      await page.getByText(T.need).waitFor();
      check(`${tag}: a key without scopes is refused with the reason beside the field`, true);
      await page.getByLabel(T.scope).check();
      await page.getByRole('button', { name: T.create }).click();
      const dialog = page.getByRole('dialog');
      await dialog.locator('#issued-secret').waitFor();
      const key = await dialog.locator('#issued-secret').inputValue();
      check(`${tag}: the secret is shown once`, key.startsWith('anj_'), key);
      await axe(page, `${tag} key secret`);
      await page.screenshot({ path: shot('40-integrations-secret'), fullPage: true });
      await dialog.getByRole('button', { name: T.saved }).click();
      await dialog.waitFor({ state: 'detached' });
      const answer = await (await verify(key)).json();
      check(`${tag}: the key verifies a member`, answer.member === true, JSON.stringify(answer));
      const rows = page.getByTestId('key-rows');
      // anj_<id>_<secret>: the secret is everything after the second underscore (it may hold
      // underscores itself, so splitting on them would test a fragment).
      const keySecret = key.slice(key.indexOf('_', 'anj_'.length) + 1);
      const listed = await rows.innerText();
      check(`${tag}: the list shows the key's start, never its secret`, keySecret.length === 32 && listed.includes(key.slice(0, 'anj_'.length + 16)) && !listed.includes(keySecret), listed);

      s.stage = 'rotate, then revoke, each confirmed';
      await rows.getByRole('button', { name: T.rotate }).click();
      await page.getByRole('dialog').getByRole('button', { name: T.rotate }).click();
      await page.getByRole('dialog').locator('#issued-secret').waitFor();
      const rotated = await page.getByRole('dialog').locator('#issued-secret').inputValue();
      await page.getByRole('dialog').getByRole('button', { name: T.saved }).click();
      check(`${tag}: after rotating the old secret is refused and the new one works`, (await verify(key)).status === 401 && (await verify(rotated)).status === 200);
      await rows.getByRole('button', { name: T.revoke }).click();
      await page.getByRole('dialog').getByRole('button', { name: T.revoke }).click();
      await rows.getByText(T.revoked).waitFor();
      check(`${tag}: a revoked key is refused`, (await verify(rotated)).status === 401);

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
      check(`${tag}: the approval reached the receiver, signed`, signed && JSON.parse(call.body).data.national_code === code, arrived ? call.body : 'nothing arrived');
      await page.getByTestId('webhook-list').getByRole('button', { name: T.deliveries }).first().click();
      const deliveries = page.getByTestId('delivery-rows');
      await deliveries.getByText(T.sent).first().waitFor();
      await axe(page, `${tag} webhook deliveries`);
      await page.screenshot({ path: shot('41-integrations-deliveries'), fullPage: true });
      await deliveries.getByRole('button', { name: T.again }).first().click();
      const again = await until(() => receiver.calls.length > before + 1);
      check(`${tag}: "send again" delivers the same event once more`, again && JSON.parse(receiver.calls[before + 1].body).id === JSON.parse(call.body).id);
    });
  } finally {
    receiver.stop();
  }
}

/** A free loopback port, for a server whose address must be known before it starts. */
async function freePort() {
  const probe = createServer();
  await new Promise((ok) => probe.listen(0, '127.0.0.1', ok));
  const { port } = probe.address();
  await new Promise((ok) => probe.close(ok));
  return port;
}

/** panva's certified oidc-provider (tests/oidc-provider): the government SSO of the tests. */
async function startProvider(redirectUri) {
  const dir = join(root, 'tests/oidc-provider');
  const child = spawn(process.execPath, ['provider.mjs', '--redirect-uri', redirectUri], { cwd: dir, stdio: ['pipe', 'pipe', 'ignore'] });
  const issuer = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('the OIDC provider did not start')), 20_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('READY ')) {
        clearTimeout(timer);
        ok(line.slice(6).trim());
      }
    });
    child.on('exit', (code) => fail(new Error(`the OIDC provider exited with ${code}`)));
  });
  return { issuer, stop: () => child.kill('SIGTERM') };
}

async function engineers(browser, lang, viewport) {
  const port = await freePort();
  const provider = await startProvider(`http://127.0.0.1:${port}/api/v1/auth/sso/callback`);
  const env = {
    ANJOMAN_BIND: `127.0.0.1:${port}`,
    ANJOMAN_OIDC_ISSUER: provider.issuer,
    ANJOMAN_OIDC_CLIENT_ID: 'anjoman',
    ANJOMAN_OIDC_CLIENT_SECRET: 'anjoman-test-secret',
    ANJOMAN_OIDC_SCOPES: 'openid national_code',
  };
  try {
    await withScenario(browser, lang, viewport, { label: 'engineers', failShot: 'failure-engineers', env }, async (s) => {
      const { tag, shot, server, page, signIn, signOut } = s;
      const fa = lang === 'fa';
      const T = fa
        ? { sso: 'ورود با دولت من', request: 'ثبت درخواست تمدید', underReview: 'در دست بررسی', education: 'اطلاعات تحصیلی', addDegree: 'افزودن مقطع تحصیلی', save: 'ذخیرهٔ تغییرات', contacts: 'اطلاعات تماس و آدرس', addAddress: 'افزودن نشانی', debt: 'ثبت بدهی پیشین', send: 'ارسال مبلغ برای مهندس', pay: /^پرداخت /, renewed: 'تمدید شد' }
        : { sso: 'Sign in with دولت من', request: 'Request renewal', underReview: 'under review', education: 'Education', addDegree: 'Add a degree', save: 'Save changes', contacts: 'Contacts and addresses', addAddress: 'Add an address', debt: 'Enter prior debt', send: 'Send the amount to the engineer', pay: /^Pay /, renewed: 'Renewed' };
      // The provider's development pages ask for a web font; there is no internet here.
      await s.context.route('https://fonts.googleapis.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/css', body: '' }));
      const ssoSignIn = async (code) => {
        await page.goto(`${server.base}/login`);
        await page.getByRole('button', { name: T.sso }).or(page.getByRole('link', { name: T.sso })).click();
        const login = page.locator('input[name="login"]');
        const portal = page.waitForURL(/\/engineer$/);
        await Promise.race([login.waitFor(), portal]);
        if (await login.isVisible()) {
          await login.fill(code);
          await page.locator('input[name="password"]').fill('any');
          await page.getByRole('button', { name: 'Sign-in' }).click();
          const consent = page.getByRole('button', { name: 'Continue' });
          await Promise.race([consent.waitFor(), portal]);
          if (await consent.isVisible()) await consent.click();
        }
        await portal;
      };

      s.stage = 'an imported engineer without an account signs in through the government SSO';
      await page.goto(`${server.base}/login`);
      await axe(page, `${tag} login with SSO`);
      await ssoSignIn('0095678913');
      await page.getByRole('heading', { level: 1, name: fa ? 'درگاه مهندسان' : 'Engineer portal' }).waitFor();
      const who = await page.getByText('کامران سپهری').innerText();
      check(`${tag}: the SSO login reached the engineer's own record`, who.includes('کامران'), who);
      await axe(page, `${tag} engineer portal`);
      await noHorizontalScroll(page, `${tag} engineer portal`);

      s.stage = 'the engineer requests a renewal and sees it under review';
      await page.getByRole('button', { name: T.request }).click();
      const status = await page.getByTestId('renewal-status').innerText();
      check(`${tag}: the renewal is under review`, status.includes(T.underReview), status);

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
      check(`${tag}: a degree without its image is refused`, true);
      await dialog.getByTestId('degree-image').setInputFiles({ name: 'degree.png', mimeType: 'image/png', buffer: PNG });
      await dialog.getByText(fa ? 'تصویر مدرک پیوست شد' : 'Degree image attached').waitFor();
      await page.waitForTimeout(400); // the upload button's change of style
      await axe(page, `${tag} degree dialog`);
      await dialog.getByRole('button', { name: T.save }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByText(fa ? 'دانشگاه صنعتی امیرکبیر' : 'Amirkabir University of Technology', { exact: false }).waitFor();
      check(`${tag}: the degree is saved with its image`, true);

      s.stage = 'the first address becomes the correspondence address';
      await page.getByRole('tab', { name: T.contacts }).click();
      await page.getByRole('button', { name: T.addAddress }).click();
      await page.locator('#address-province').click();
      await page.getByRole('option', { name: 'تهران', exact: true }).click();
      await page.getByRole('listbox').waitFor({ state: 'detached' });
      await page.locator('#address-city').fill('تهران');
      await page.locator('#address-text').fill('تهران، خیابان شریعتی، کوچهٔ یاس، پلاک ۸');
      await page.locator('#address-postal').fill('1611713111');
      await page.getByRole('dialog').getByRole('button', { name: T.save }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await page.getByText(fa ? 'نشانی مکاتبات' : 'Correspondence', { exact: true }).first().waitFor();
      await page.waitForTimeout(400);
      await axe(page, `${tag} contacts and addresses`);
      await page.screenshot({ path: shot('30-engineer-record'), fullPage: true });
      await signOut();

      s.stage = "the province's expert enters the prior debt";
      await signIn('0091234565', 'Anjoman-Demo-1403');
      await page.goto(`${server.base}/engineering`);
      await page.getByText('کامران سپهری', { exact: false }).waitFor();
      await axe(page, `${tag} renewal queue`);
      await page.getByRole('button', { name: T.debt }).click();
      await page.locator('#assess-debt').fill('2000000');
      const total = await page.getByTestId('assess-total').innerText();
      check(`${tag}: the expert sees fee × years + debt`, total.includes(fa ? '۱۴٬۰۰۰٬۰۰۰' : '14,000,000'), total);
      await page.getByRole('dialog').getByRole('button', { name: T.send }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await signOut();

      s.stage = 'the engineer pays and the membership is extended';
      await ssoSignIn('0095678913');
      await page.getByTestId('renewal-status').getByText(fa ? '۱۴٬۰۰۰٬۰۰۰ ریال' : '14,000,000 rials').first().waitFor();
      await axe(page, `${tag} renewal amount`);
      await page.screenshot({ path: shot('31-engineer-renewal-amount'), fullPage: true });
      await page.getByRole('button', { name: T.pay }).click();
      await page.waitForURL(/\/sandbox-gateway\/S\d+$/);
      await page.getByRole('button', { name: fa ? 'پرداخت' : 'Pay', exact: true }).click();
      await page.waitForURL(/\/invoices\/[0-9a-f-]+\?payment=paid$/);
      await page.getByTestId('invoice-status').getByText(fa ? 'پرداخت‌شده' : 'Paid').waitFor();
      await page.goto(`${server.base}/engineer`);
      const renewed = await page.getByText(T.renewed, { exact: false }).first().innerText();
      check(`${tag}: the membership is renewed once paid`, renewed.length > 0, renewed);
    });
  } finally {
    provider.stop();
  }
}

const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
// E2E_ONLY=content (or main, recovery, membership, engineers, swagger…) runs one scenario while working on it.
const only = process.env.E2E_ONLY;
const wanted = (name) => !only || only.split(',').includes(name);
try {
  if (wanted('swagger')) await swaggerUi(browser);
  for (const lang of ['fa', 'en']) {
    for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
      if (wanted('main')) await scenario(browser, lang, viewport);
      if (wanted('fromZero')) await fromZero(browser, lang, viewport);
      if (wanted('recovery')) await recoveryAndAdmin(browser, lang, viewport);
      if (wanted('membership')) await membership(browser, lang, viewport);
      if (wanted('content')) await content(browser, lang, viewport);
      if (wanted('voting')) await voting(browser, lang, viewport);
      if (wanted('electionAdmin')) await electionAdmin(browser, lang, viewport);
      if (wanted('officers')) await officers(browser, lang, viewport);
      if (wanted('distributors')) await distributors(browser, lang, viewport);
      if (wanted('endings')) await endings(browser, lang, viewport);
      if (wanted('engineers')) await engineers(browser, lang, viewport);
      if (wanted('integrations')) await integrations(browser, lang, viewport);
    }
  }
} finally {
  await browser.close();
}
const failed = results.filter((r) => !r.ok).length;
console.log(`e2e: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
