// A real OpenID Connect provider for the single sign-on tests: panva's certified
// `oidc-provider`, configured like a government SSO that asserts national codes. Its
// development login pages accept any login; the login typed is the person's national code.
//
//   node provider.mjs --redirect-uri URI [--redirect-uri URI…] [--jwks FILE] [--port N]
//
// Prints `READY <issuer>` once listening on 127.0.0.1. Two clients are registered with the
// given redirect URIs: `anjoman` (secret `anjoman-test-secret`) and `other-app`
// (`other-app-secret`), so tests can obtain a token meant for another audience. `--jwks FILE`
// keeps the signing key in FILE (made on first use), so two providers can sign with one key and
// differ only in their issuer. Stops on SIGTERM or when its parent closes stdin.

import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import Provider from 'oidc-provider';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'redirect-uri': { type: 'string', multiple: true, default: [] },
    jwks: { type: 'string' },
  },
});

function signingKeys() {
  if (values.jwks && existsSync(values.jwks)) return JSON.parse(readFileSync(values.jwks, 'utf8'));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwks = { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'sso-test-key', alg: 'RS256', use: 'sig' }] };
  if (values.jwks) writeFileSync(values.jwks, JSON.stringify(jwks), { mode: 0o600 });
  return jwks;
}

const server = createServer();
await new Promise((resolve) => server.listen(Number(values.port), '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
const redirectUris = values['redirect-uri'];

const provider = new Provider(issuer, {
  clients: [
    { client_id: 'anjoman', client_secret: 'anjoman-test-secret', redirect_uris: redirectUris },
    { client_id: 'other-app', client_secret: 'other-app-secret', redirect_uris: redirectUris },
  ],
  jwks: signingKeys(),
  pkce: { required: () => true },
  scopes: ['openid', 'national_code'],
  claims: { openid: ['sub'], national_code: ['national_code'] },
  // The national code travels in the ID token itself, as a government SSO's assertion does.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, id) {
    return { accountId: id, claims: async () => ({ sub: id, national_code: id }) };
  },
});
// Quiet: the development-interactions and key warnings are expected here.
provider.on('server_error', (_ctx, err) => console.error('oidc-provider error:', err));
server.on('request', provider.callback());

console.log(`READY ${issuer}`);

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
