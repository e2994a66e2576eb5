// Loopback OpenID Provider for end-to-end tests, built on panva/oidc-provider
// (OpenID Certified). Pinned to oidc-provider 8.8.1: the 8.x line is the last one
// whose supported-runtime matrix includes Node.js 20 LTS (9.0.0 "removed support
// for Node.js 20.x" and warns "Unsupported runtime" on it).
//
// Env:
//   PORT        TCP port on 127.0.0.1 (0 or unset = any free port)
//   ACCESS_TTL  access token lifetime in seconds (default 300)
//
// stdout carries exactly one line: `READY http://127.0.0.1:<port>` (the issuer).
// Everything else (oidc-provider notices/warnings, logs) goes to stderr.
//
// Test control endpoints (not part of the OP, served before it on the same port):
//   GET  /_test/counts  -> JSON counts of token requests by grant_type, etc.
//   POST /_test/reset   -> zero the counters

import * as http from 'node:http';
import * as crypto from 'node:crypto';

// oidc-provider prints its "NOTICE" lines with console.info (= stdout). Keep stdout
// for the READY line only.
console.info = console.error;
console.log = console.error;

const { default: Provider } = await import('oidc-provider');

const ACCESS_TTL = Number.parseInt(process.env.ACCESS_TTL ?? '300', 10);
if (!Number.isSafeInteger(ACCESS_TTL) || ACCESS_TTL <= 0) {
  throw new Error(`ACCESS_TTL must be a positive integer, got ${process.env.ACCESS_TTL}`);
}
const PORT = Number.parseInt(process.env.PORT ?? '0', 10);
if (!Number.isSafeInteger(PORT) || PORT < 0 || PORT > 65535) {
  throw new Error(`PORT must be 0..65535, got ${process.env.PORT}`);
}

const DAY = 24 * 60 * 60;
const LONG = 30 * DAY; // refresh tokens and grants: long-lived

// ---------------------------------------------------------------------------
// counters for GET /_test/counts
// ---------------------------------------------------------------------------
function freshCounts() {
  return {
    token: { success: {}, error: {} }, // by grant_type
    token_errors: {}, // by OAuth error code, e.g. invalid_grant
    refresh_token_reuse: 0, // "refresh token already used" -> grant revoked
    authorization_code_reuse: 0, // "authorization code already consumed" -> grant revoked
    recent_token_errors: [], // last 50 {grant_type, error, error_description, detail}
    grant_revoked: 0,
    authorization: { success: 0, error: 0 },
    userinfo: { success: 0, error: 0 },
    introspection: { requests: 0, error: 0 },
    revocation: { requests: 0, error: 0 },
  };
}
let counts = freshCounts();
const bump = (obj, key) => { obj[key] = (obj[key] ?? 0) + 1; };
const grantTypeOf = (ctx) => ctx.oidc?.params?.grant_type ?? ctx.request?.body?.grant_type ?? 'unknown';

// ---------------------------------------------------------------------------
// the single test account
// ---------------------------------------------------------------------------
// devInteractions accepts any login/password; the login becomes the accountId
// (= sub). Any accountId resolves to Ada's profile; log in as "ada" to get sub=ada.
async function findAccount(ctx, id) {
  return {
    accountId: id,
    async claims(use, scope) { // use: 'id_token' | 'userinfo'
      return {
        sub: id,
        name: 'Ada Lovelace',
        email: 'ada@example.test',
        email_verified: true,
      };
    },
  };
}

// ---------------------------------------------------------------------------
// keys (generated per process; nothing persisted)
// ---------------------------------------------------------------------------
const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingJwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', use: 'sig', alg: 'RS256' };

// ---------------------------------------------------------------------------
// listen first (PORT=0 needs the real port before the issuer is known)
// ---------------------------------------------------------------------------
let opCallback;
const server = http.createServer((req, res) => {
  const { pathname } = new URL(req.url, 'http://127.0.0.1');
  if (pathname === '/_test/counts' && req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(counts));
    return;
  }
  if (pathname === '/_test/reset' && req.method === 'POST') {
    counts = freshCounts();
    res.writeHead(204).end();
    return;
  }
  if (!opCallback) { res.writeHead(503).end(); return; }
  opCallback(req, res);
});
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(PORT, '127.0.0.1', resolve);
});
const issuer = `http://127.0.0.1:${server.address().port}`;

// ---------------------------------------------------------------------------
// provider configuration
// ---------------------------------------------------------------------------
const SCOPE = 'openid profile email offline_access';

const configuration = {
  clients: [
    {
      client_id: 'tokentray-public',
      application_type: 'native', // => http loopback redirect matches any port (RFC 8252 §7.3)
      token_endpoint_auth_method: 'none', // public client
      redirect_uris: ['http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
      response_types: ['code'],
      scope: SCOPE,
    },
    {
      client_id: 'tokentray-confidential',
      client_secret: 'confidential-secret',
      token_endpoint_auth_method: 'client_secret_basic',
      application_type: 'native', // so its loopback redirect is port-agnostic too
      redirect_uris: ['http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
      response_types: ['code'],
      scope: SCOPE,
    },
  ],

  findAccount,
  jwks: { keys: [signingJwk] },
  cookies: {
    keys: [crypto.randomBytes(32).toString('base64url')],
    // 8.x defaults the session cookie to SameSite=None (+ a ".legacy" twin without
    // SameSite). Chromium drops SameSite=None cookies that are not Secure, and
    // Secure is impossible on http://127.0.0.1, so use Lax (the 9.x default).
    long: { httpOnly: true, sameSite: 'lax', signed: true },
    short: { httpOnly: true, sameSite: 'lax', signed: true },
  },

  responseTypes: ['code'], // authorization-code flow only (no implicit/hybrid)
  scopes: ['openid', 'profile', 'email', 'offline_access'],
  claims: {
    openid: ['sub'],
    profile: ['name'],
    email: ['email', 'email_verified'],
  },
  // Default kept explicitly: with response_type=code the ID Token carries only
  // sub (+ protocol claims); name/email come from the userinfo endpoint.
  conformIdTokenClaims: true,

  // PKCE S256 required for every authorization request (both clients).
  pkce: { required: () => true },

  features: {
    devInteractions: { enabled: true }, // built-in login + consent pages
    revocation: { enabled: true }, // RFC 7009
    introspection: {
      enabled: true, // RFC 7662
      // same as the default, restated to silence the "you SHOULD change" notice:
      // a public client may only introspect its own tokens.
      allowedPolicy: async (ctx, client, token) => !(client.clientAuthMethod === 'none' && token.clientId !== client.clientId),
    },
    userinfo: { enabled: true },
    deviceFlow: { enabled: true }, // RFC 8628: its own code input, confirm and success pages
  },

  // Refresh tokens: issued whenever offline_access is granted (and the client has
  // the refresh_token grant). Note: the authorization endpoint strips
  // offline_access unless prompt includes "consent" (OIDC Core §11).
  // (for the device flow, code is the device code: the same rule)
  issueRefreshToken: async (ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
  // Rotate on every use; replaying a consumed one revokes the whole grant.
  rotateRefreshToken: true,

  ttl: {
    AccessToken: ACCESS_TTL,
    AuthorizationCode: 60,
    IdToken: 3600,
    RefreshToken: LONG,
    Grant: LONG,
    Session: DAY,
    Interaction: 3600,
    ClientCredentials: 600,
    DeviceCode: 600,
    BackchannelAuthenticationRequest: 600,
  },

  async renderError(ctx, out) {
    ctx.type = 'html';
    const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>oops! something went wrong</title></head><body><h1>oops! something went wrong</h1>${
      Object.entries(out).map(([k, v]) => `<pre id="${esc(k)}"><strong>${esc(k)}</strong>: ${esc(v)}</pre>`).join('')}</body></html>`;
  },
};

const provider = new Provider(issuer, configuration);

// Built-in pages @import Google Fonts; a headless browser on an offline machine must
// not try to reach the internet, so strip the @import from every HTML response.
provider.use(async (ctx, next) => {
  await next();
  if (typeof ctx.body === 'string' && ctx.response.is('html')) {
    ctx.body = ctx.body.replace(/@import url\(https:\/\/fonts\.googleapis\.com[^)]*\);?/g, '');
  }
});

// per-route counters that have no dedicated event in oidc-provider 8.x
provider.use(async (ctx, next) => {
  await next();
  switch (ctx.oidc?.route) {
    case 'introspection': counts.introspection.requests += 1; break;
    case 'revocation': counts.revocation.requests += 1; break;
    default:
  }
});

provider.on('grant.success', (ctx) => bump(counts.token.success, grantTypeOf(ctx)));
// invalid_grant responses always say "grant request is invalid"; the real reason is
// only in err.error_detail (e.g. "refresh token already used"), exposed here.
provider.on('grant.error', (ctx, err) => {
  const grantType = grantTypeOf(ctx);
  bump(counts.token.error, grantType);
  bump(counts.token_errors, err?.error ?? 'server_error');
  if (err?.error_detail === 'refresh token already used') counts.refresh_token_reuse += 1;
  if (err?.error_detail === 'authorization code already consumed') counts.authorization_code_reuse += 1;
  counts.recent_token_errors.push({
    grant_type: grantType, error: err?.error, error_description: err?.error_description, detail: err?.error_detail,
  });
  if (counts.recent_token_errors.length > 50) counts.recent_token_errors.shift();
  console.error(`grant.error grant_type=${grantType} ${err?.error}: ${err?.error_description} (${err?.error_detail})`);
});
provider.on('grant.revoked', () => { counts.grant_revoked += 1; });
provider.on('authorization.success', () => { counts.authorization.success += 1; });
provider.on('authorization.error', (ctx, err) => {
  counts.authorization.error += 1;
  console.error(`authorization.error ${err?.error}: ${err?.error_description} (${err?.error_detail ?? ''})`);
});
provider.on('userinfo.error', () => { counts.userinfo.error += 1; });
provider.on('introspection.error', () => { counts.introspection.error += 1; });
provider.on('revocation.error', () => { counts.revocation.error += 1; });
provider.on('server_error', (ctx, err) => console.error('server_error', err));
provider.use(async (ctx, next) => {
  await next();
  if (ctx.oidc?.route === 'userinfo' && ctx.status === 200) counts.userinfo.success += 1;
});

opCallback = provider.callback();

const shutdown = () => { server.close(() => process.exit(0)); server.closeAllConnections(); };
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

process.stdout.write(`READY ${issuer}\n`);
