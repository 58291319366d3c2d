// The browser tests' fixtures: the language and viewport of the project (playwright.config.ts),
// the interface texts of that language (src/i18n, the same the app shows), and `scenario`, which
// starts a fresh `anjoman` for the test, signs people in and out, and fails the test on any
// console error, page error, failed request or unexpected error status.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { en } from '../../src/i18n/en';
import { fa, type Messages } from '../../src/i18n/fa';
import { root, startServer, type App, type Env } from './servers';

export { expect };
export type Lang = 'fa' | 'en';
export const shots = join(root, 'test-output/e2e');
mkdirSync(shots, { recursive: true });

/** Watches a page for anything that should never happen; statuses in `expected` are allowed. */
export function watch(page: Page, expected: Set<number>) {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium reports every 4xx as a console error; expected ones are allowed below.
    const status = /Failed to load resource: the server responded with a status of (\d+)/.exec(m.text());
    if (status && expected.has(Number(status[1]))) return;
    problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A request the page itself abandoned (it navigated away) is not a failure.
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 500 || (r.status() >= 400 && !expected.has(r.status()))) {
      problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
    }
  });
  return problems;
}

/**
 * The numbers a Persian page shows in Latin digits (the interface's texts; what people typed is
 * shown as stored). Not counted: what is isolated left to right
 * on purpose (`dir="ltr"`, `<bdi>`, `<code>`: national codes, tracking codes, membership numbers),
 * digits inside Latin words (`sha256`), and the date fields' editable sections (MUI X renders
 * those in Latin digits whatever the locale).
 */
export async function latinDigits(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    if (document.documentElement.lang !== 'fa') return [];
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      const el = node.parentElement;
      if (!el || el.closest('[dir="ltr"], bdi, code, script, style, .MuiPickersSectionList-root, [aria-hidden="true"]')) continue;
      if (/(^|[^A-Za-z$_0-9-]|(?<![A-Za-z])-)[0-9]+(?![A-Za-z$_0-9])/.test(text)) found.push(text.trim().slice(0, 80));
    }
    return found;
  });
}

/** No serious or critical accessibility violation (axe-core) on the page as it is now. */
export async function axe(page: Page, label: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const detail = serious.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
  expect.soft(detail, `${label}: no serious accessibility violations`).toEqual([]);
}

/** The page is no wider than the viewport (no sideways scrolling on a phone). */
export async function noHorizontalScroll(page: Page, label: string) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect.soft(scroll, `${label}: fits the viewport (${scroll}px content in ${width}px)`).toBeLessThanOrEqual(width + 1);
}

export type Scenario = {
  /** "fa 360px officers": the project and the scenario, for messages. */
  tag: string;
  phone: boolean;
  /** A screenshot's path under test-output/e2e/. */
  shot: (name: string) => string;
  server: App;
  context: BrowserContext;
  page: Page;
  /** Statuses a step provokes on purpose (a wrong password's 401); nothing else may fail. */
  expected: Set<number>;
  /** What the test is doing now; a failure names it. */
  stage: string;
  signIn: (code: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  openMenu: () => Promise<void>;
};

/** `demo: false` starts on an empty database; `before(dir)` runs first (e.g. `create-admin`). */
type ScenarioOptions = { label?: string; demo?: boolean; env?: Env; before?: (dir: string) => void };

type Fixtures = {
  lang: Lang;
  /** The interface texts of the test's language. */
  t: Messages;
  phone: boolean;
  scenario: (options: ScenarioOptions, body: (s: Scenario) => Promise<void>) => Promise<void>;
};

export const test = base.extend<Fixtures>({
  lang: ['fa', { option: true }],
  t: async ({ lang }, use) => use(lang === 'fa' ? fa : en),
  phone: async ({ viewport }, use) => use((viewport?.width ?? 1280) < 600),
  context: async ({ context, lang }, use) => {
    await context.addInitScript((l) => {
      if (!localStorage.getItem('anjoman.lang')) localStorage.setItem('anjoman.lang', l);
    }, lang);
    await use(context);
  },
  scenario: async ({ context, page, lang, t, phone }, use) => {
    const servers: App[] = [];
    await use(async ({ label = '', demo = true, env = {}, before }, body) => {
      const server = await startServer({ demo, env, before });
      servers.push(server);
      const tag = `${lang} ${phone ? '360px' : 'desktop'}${label ? ` ${label}` : ''}`;
      page.setDefaultTimeout(15_000);
      const expected = new Set<number>();
      const problems = watch(page, expected);
      const openMenu = async () => {
        if (phone) await page.getByRole('button', { name: t.nav.menu }).click();
      };
      const s: Scenario = {
        tag,
        phone,
        shot: (name) => join(shots, `${lang}-${phone ? 'phone' : 'desktop'}-${name}.png`),
        server,
        context,
        page,
        expected,
        stage: 'start',
        openMenu,
        signIn: async (code, password) => {
          await page.goto(`${server.base}/login`);
          await page.locator('#national_code').fill(code);
          await page.locator('#password').fill(password);
          await page.locator('#captcha_answer').fill('12345');
          await page.locator('form').getByRole('button', { name: t.login.submit }).click();
          await page.waitForURL(/\/profile$/);
        },
        signOut: async () => {
          await openMenu();
          await page.getByRole('button', { name: t.nav.logout }).first().click();
          await page.waitForURL(/\/login$/);
        },
      };
      try {
        await body(s);
      } catch (e) {
        if (e instanceof Error) e.message = `${tag}, while "${s.stage}" (at ${page.url()}): ${e.message}`;
        throw e;
      } finally {
        expect.soft(problems, `${tag}: no console errors or failed requests`).toEqual([]);
      }
    });
    for (const server of servers) server.stop();
  },
});
