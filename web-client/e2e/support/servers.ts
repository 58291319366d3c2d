// The processes a browser test talks to: `anjoman` on a fresh SQLite database, an SMTP sink, an
// HTTP receiver for webhooks and panva's oidc-provider as the government SSO. Each test starts
// its own, so tests run in parallel without sharing state.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '../../..');
export const binary = process.env.ANJOMAN_BIN ?? join(root, 'target/debug/anjoman');
const webDir = resolve(here, '../../dist');
export const INBOUND_SECRET = 'e2e-inbound-sms-secret';

export type Env = Record<string, string>;
export type App = { base: string; stop: () => void };

/** The environment of `anjoman` (server or command line) on the database in `dir`. */
export function serverEnv(dir: string, extraEnv: Env = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ANJOMAN_DATABASE_URL: `sqlite://${join(dir, 'anjoman.db')}`,
    ANJOMAN_DATA_DIR: join(dir, 'data'),
    ANJOMAN_ARGON2_MEMORY_KIB: '256',
    ANJOMAN_ARGON2_ITERATIONS: '1',
    ...extraEnv,
  };
}

/** Runs an `anjoman` command (e.g. `create-admin`) on the database in `dir`. */
export function anjoman(dir: string, args: string[]) {
  return spawnSync(binary, args, { cwd: dir, env: serverEnv(dir), encoding: 'utf8' });
}

/** `demo: false` starts on an empty database; `before(dir)` runs first (the command line). */
export async function startServer({ demo = true, env = {}, before }: { demo?: boolean; env?: Env; before?: (dir: string) => void } = {}): Promise<App> {
  const dir = mkdtempSync(join(tmpdir(), 'anjoman-e2e-'));
  before?.(dir);
  const child = spawn(binary, demo ? ['serve', '--demo'] : ['serve'], {
    cwd: dir,
    env: serverEnv(dir, {
      ANJOMAN_BIND: '127.0.0.1:0',
      ANJOMAN_WEB_DIR: webDir,
      ANJOMAN_CAPTCHA: 'off',
      ANJOMAN_LOG: 'error',
      ANJOMAN_INBOUND_SMS_SECRET: INBOUND_SECRET,
      ANJOMAN_OUTBOX_POLL_MS: '200',
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('anjoman did not start within 60 s')), 60_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
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

/** A minimal SMTP server keeping every message, so tests can read the codes people get. */
export async function startSmtpSink() {
  const mails: { to: string[]; data: string }[] = [];
  const server = createServer((socket) => {
    let buffer = '';
    let data: string[] | null = null;
    let to: string[] = [];
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
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const text = (mail: { data: string }) => {
    const [headers, ...rest] = mail.data.split('\r\n\r\n');
    const body = rest.join('\r\n\r\n');
    if (/content-transfer-encoding: base64/i.test(headers)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (/content-transfer-encoding: quoted-printable/i.test(headers)) {
      return Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
    }
    return body;
  };
  return {
    url: `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Waits for a message to `address` and returns its text. */
    async waitFor(address: string) {
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

/** An HTTP endpoint keeping every call it gets (the webhooks' receiver). */
export async function startReceiver() {
  const calls: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  const server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, calls, stop: () => server.close() };
}

/** A free loopback port, for a server whose address must be known before it starts. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
  const { port } = probe.address() as AddressInfo;
  await new Promise((ok) => probe.close(ok));
  return port;
}

/** panva's certified oidc-provider (tests/oidc-provider): the government SSO of the tests. */
export async function startProvider(redirectUri: string) {
  const dir = join(root, 'tests/oidc-provider');
  const child = spawn(process.execPath, ['provider.mjs', '--redirect-uri', redirectUri], { cwd: dir, stdio: ['pipe', 'pipe', 'ignore'] });
  const issuer = await new Promise<string>((ok, fail) => {
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

/** An `anjoman` whose single sign-on goes to a fresh oidc-provider (the engineers' first login). */
export async function ssoEnv() {
  const port = await freePort();
  const provider = await startProvider(`http://127.0.0.1:${port}/api/v1/auth/sso/callback`);
  const env: Env = {
    ANJOMAN_BIND: `127.0.0.1:${port}`,
    ANJOMAN_OIDC_ISSUER: provider.issuer,
    ANJOMAN_OIDC_CLIENT_ID: 'anjoman',
    ANJOMAN_OIDC_CLIENT_SECRET: 'anjoman-test-secret',
    ANJOMAN_OIDC_SCOPES: 'openid national_code',
  };
  return { env, stop: provider.stop };
}

/** Waits until `condition()` holds, for at most `ms`; says whether it did. */
export async function until(condition: () => boolean, ms = 15_000) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) return false;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return true;
}
