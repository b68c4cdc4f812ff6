// An OpenID provider on loopback for the tests (tests/identity.py starts it).
// People sign in on a plain form by their account id and the level of assurance
// they "reach"; their claims are the Swedish eID framework's (personal identity
// number, name), so that a step-up to loa3 can be granted or refused. Clients are
// registered by the tests (dynamic registration), each with its redirect URI.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const PNR = 'https://id.oidc.se/claim/personalIdentityNumber';
const LOA2 = 'http://id.elegnamnden.se/loa/1.0/loa2';
const LOA3 = 'http://id.elegnamnden.se/loa/1.0/loa3';
const ACCOUNTS = JSON.parse(process.env.ACCOUNTS || '{}');

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [],
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource: async (ctx, form) => {
        ctx.body = `<!DOCTYPE html><title>Logga ut</title>${form}<button form="op.logoutForm" name="logout" value="yes">Logga ut</button>`;
      } },
      claimsParameter: { enabled: true },
    },
    acrValues: [LOA2, LOA3],
    scopes: ['openid', 'profile', 'email', 'https://id.oidc.se/scope/naturalPersonNumber'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name'],
      email: ['email', 'email_verified'],
      'https://id.oidc.se/scope/naturalPersonNumber': [PNR],
    },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    findAccount: async (ctx, id) => {
      const account = ACCOUNTS[id];
      if (!account) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...account }; } };
    },
    // First-party: the client gets what it asks for, no consent page.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(' ') : 'openid');
      grant.addOIDCClaims([PNR, 'name', 'given_name', 'family_name', 'email', 'email_verified']);
      await grant.save();
      return grant;
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  });
  provider.proxy = false;
  const callback = provider.callback();

  server.on('request', async (req, res) => {
    if (!req.url.startsWith('/interaction/')) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        const levels = [LOA2, LOA3].map((l) => `<option value="${l}">${l}</option>`).join('');
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.end(`<!DOCTYPE html><html lang="sv"><title>Test-e-legitimation</title>
<h1>Test-e-legitimation</h1><p>Begärd nivå: ${details.params.acr_values || '–'}</p>
<form method="post"><label>Konto <input name="login" autofocus></label>
<label>Tillitsnivå <select name="acr">${levels}</select></label>
<button>Legitimera</button></form></html>`);
        return;
      }
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      const login = form.get('login');
      if (!ACCOUNTS[login]) {
        await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'unknown account' });
        return;
      }
      await provider.interactionFinished(req, res, {
        login: { accountId: login, acr: form.get('acr') || LOA2, amr: ['pwd'] },
      }, { mergeWithLastSubmission: false });
    } catch (err) {
      res.statusCode = 500;
      res.end(String(err));
    }
  });
  console.log(JSON.stringify({ issuer }));
});
