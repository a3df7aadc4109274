// Conformance of clerk-emulator with the REAL clerk-js (@clerk/clerk-js, pinned in
// tools/package.json), driven in headless Chromium through playwright-core.
//
// Run from the repo root after `cargo build -p clerk-emulator` and `(cd tools && npm ci)`:
//   node --test tools/conformance/
// Env: CLERK_EMULATOR_BIN (default target/debug/clerk-emulator),
//      CHROMIUM (default /usr/bin/chromium),
//      CONFORMANCE_INSTANCES (default development,production).
//
// For each instance type (development = dev browser path, production = __client
// cookie) it starts the emulator binary on a free port, serves a tiny page that
// loads clerk.browser.js with the emulator's publishable key and proxyUrl, and
// checks: load() → signed out; sign-in + setActive; a wrong password's error;
// getToken() (verified against the JWKS); an active org in the token; a template
// token; signOut(); a backend revocation ends signed out; the hosted sign-in and
// sign-up pages round-trip through buildSignInUrl()/buildSignUpUrl(); a 429 on
// /tokens is retried without signing out; a 500 on /v1/client at load → degraded; with
// the session minter, the token requests' form is the one yew-clerk sends
// (session-minter-forms.json) and the emulator re-mints the previous token.
// The FAPI requests clerk-js made are printed at the end of each instance.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { CLERK_VERSION } from '../lib/clerk-page.mjs';
import {
  CHROMIUM, EMAIL, PASSWORD, INSTANCES, startSuite, launchChromium, stopEmulator, control,
} from './helpers.mjs';

/** The session-minter token forms clerk-js and yew-clerk send (shared with yew-clerk's host test). */
const MINTER_FORMS = JSON.parse(fs.readFileSync(new URL('./session-minter-forms.json', import.meta.url), 'utf8'));

/** Verifies an RS256 JWT with the emulator's JWKS; returns its claims. */
async function verifyJwt(emu, jwt) {
  const [h, p, s] = jwt.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url'));
  assert.equal(header.alg, 'RS256');
  assert.equal(header.typ, 'JWT');
  const jwks = await (await fetch(`${emu.url}/.well-known/jwks.json`)).json();
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  assert.ok(jwk, `kid ${header.kid} is in the JWKS`);
  const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  const ok = crypto.verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'));
  assert.ok(ok, 'signature verifies with the JWKS key');
  const claims = JSON.parse(Buffer.from(p, 'base64url'));
  const now = Math.floor(Date.now() / 1000);
  assert.ok(claims.nbf <= now && now < claims.exp, 'token is currently valid');
  return claims;
}

for (const instance of INSTANCES) {
  describe(`clerk-js ${CLERK_VERSION} against clerk-emulator (${instance})`, () => {
    let emu;
    let pageServer;
    let browser;
    let page;
    const consoleLines = [];

    before(async () => {
      assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} exists`);
      ({ emu, pageServer } = await startSuite(instance));
      browser = await launchChromium();
      const context = await browser.newContext();
      page = await context.newPage();
      page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
      page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
      page.on('response', (r) => { if (r.status() === 404) consoleLines.push(`[404] ${r.url()}`); });
      page.on('requestfailed', (r) => consoleLines.push(`[requestfailed] ${r.url()} ${r.failure()?.errorText}`));
      await page.goto(pageServer.url);
      await page.waitForFunction(() => window.Clerk !== undefined, null, { timeout: 20_000 });
    });

    after(async () => {
      if (emu) {
        const log = await fetch(`${emu.url}/__emulator/requests`).then((r) => r.json()).catch(() => []);
        console.log(`# ${instance}: clerk-js made ${log.length} FAPI requests:`);
        for (const e of log) console.log(`#   ${e.status} ${e.method}${e.method !== e.wire_method ? ` (wire ${e.wire_method})` : ''} ${e.path}?${e.query}`);
      }
      if (consoleLines.length) console.log(`# browser console (${instance}):\n# ${consoleLines.slice(-30).join('\n# ')}`);
      await browser?.close();
      pageServer?.server.close();
      if (emu) {
        await stopEmulator(emu);
        assert.equal(emu.child.exitCode, 0, 'emulator exits with status 0 on SIGTERM');
      }
    });

    /** After a hosted page: waits for the redirect back to the app and for clerk-js on it. */
    async function backInTheApp() {
      for (let i = 0; i < 150 && !page.url().startsWith(pageServer.url); i++) await page.waitForTimeout(100);
      assert.ok(page.url().startsWith(pageServer.url), `redirected back to the app (at ${page.url()})`);
      await page.waitForLoadState('load');
      await page.waitForFunction(() => window.Clerk !== undefined, null, { timeout: 20_000 });
    }

    test('load() finishes signed out', async () => {
      const state = await page.evaluate(async () => {
        await window.Clerk.load();
        return { loaded: window.Clerk.loaded, status: window.Clerk.status, user: window.Clerk.user ?? null,
          session: window.Clerk.session ?? null, instanceType: window.Clerk.instanceType };
      });
      assert.equal(state.loaded, true);
      assert.equal(state.status, 'ready');
      assert.equal(state.user, null);
      assert.equal(state.session, null);
      assert.equal(state.instanceType, instance);
      const log = await control(emu, 'GET', '/requests');
      if (instance === 'development') {
        assert.ok(log.some((e) => e.path === '/v1/dev_browser' && e.status === 200), 'dev browser created');
        assert.ok(log.some((e) => e.path === '/v1/client' && /__clerk_db_jwt=dvb_/.test(e.query)), 'dev browser sent');
      } else {
        assert.ok(!log.some((e) => e.path === '/v1/dev_browser'), 'no dev browser in production');
      }
    });

    test('sign-in with password + setActive gives a user and a session', async () => {
      const r = await page.evaluate(async ({ email, password }) => {
        const si = await window.Clerk.client.signIn.create({ identifier: email, password, strategy: 'password' });
        await window.Clerk.setActive({ session: si.createdSessionId });
        return { status: si.status, created: si.createdSessionId, userId: window.Clerk.user?.id ?? null,
          sessionId: window.Clerk.session?.id ?? null, email: window.Clerk.user?.primaryEmailAddress?.emailAddress ?? null,
          orgs: window.Clerk.user?.organizationMemberships?.length ?? 0 };
      }, { email: EMAIL, password: PASSWORD });
      assert.equal(r.status, 'complete');
      assert.match(r.userId, /^user_/);
      assert.equal(r.sessionId, r.created);
      assert.equal(r.email, EMAIL);
      assert.equal(r.orgs, 1, 'the seeded organization membership is visible');
    });

    test('wrong password is a ClerkAPIResponseError form_password_incorrect', async () => {
      const r = await page.evaluate(async ({ email }) => {
        try {
          await window.Clerk.client.signIn.create({ identifier: email, password: 'nope-nope', strategy: 'password' });
          return { thrown: false };
        } catch (e) {
          return { thrown: true, code: e.errors?.[0]?.code, status: e.status, isApi: e.clerkError === true };
        }
      }, { email: EMAIL });
      assert.equal(r.thrown, true);
      assert.equal(r.code, 'form_password_incorrect');
      assert.equal(r.status, 422);
    });

    test('session.getToken() returns a JWT that verifies, with the right sub/sid', async () => {
      const r = await page.evaluate(async () => ({
        jwt: await window.Clerk.session.getToken({ skipCache: true }),
        userId: window.Clerk.user.id,
        sessionId: window.Clerk.session.id,
      }));
      const claims = await verifyJwt(emu, r.jwt);
      assert.equal(claims.sub, r.userId);
      assert.equal(claims.sid, r.sessionId);
      assert.equal(claims.v, 2);
      assert.equal(claims.azp, pageServer.url.replace(/\/$/, ''));
      assert.match(claims.iss, /^https:\/\//);
    });

    test('setActive with an organization puts o.id into the token', async () => {
      const r = await page.evaluate(async () => {
        const orgId = window.Clerk.user.organizationMemberships[0].organization.id;
        await window.Clerk.setActive({ organization: orgId });
        return { orgId, active: window.Clerk.organization?.id ?? null, jwt: await window.Clerk.session.getToken({ skipCache: true }) };
      });
      assert.equal(r.active, r.orgId);
      const claims = await verifyJwt(emu, r.jwt);
      assert.equal(claims.o?.id, r.orgId);
      assert.equal(claims.o?.rol, 'admin');
    });

    test('a template token works', async () => {
      const r = await page.evaluate(async () => ({
        jwt: await window.Clerk.session.getToken({ template: 'test' }),
        userId: window.Clerk.user.id,
      }));
      const claims = await verifyJwt(emu, r.jwt);
      assert.equal(claims.sub, r.userId);
      assert.equal(claims.email, EMAIL);
    });

    test('signOut() ends signed out', async () => {
      const r = await page.evaluate(async () => {
        await window.Clerk.signOut(() => {});
        return { user: window.Clerk.user ?? null, session: window.Clerk.session ?? null };
      });
      assert.equal(r.user, null);
      assert.equal(r.session, null);
      const sessions = await control(emu, 'GET', '/sessions');
      assert.ok(sessions.every((s) => s.status !== 'active'), 'no active session left on the emulator');
    });

    test('a session revoked through the control API ends signed out in clerk-js', async () => {
      const sid = await page.evaluate(async ({ email, password }) => {
        const si = await window.Clerk.client.signIn.create({ identifier: email, password, strategy: 'password' });
        await window.Clerk.setActive({ session: si.createdSessionId });
        return window.Clerk.session.id;
      }, { email: EMAIL, password: PASSWORD });
      await control(emu, 'POST', `/sessions/${sid}/revoke`);
      const r = await page.evaluate(async () => {
        try {
          await window.Clerk.session.getToken({ skipCache: true });
          return { thrown: false };
        } catch (e) {
          return { thrown: true, status: e.status, code: e.errors?.[0]?.code };
        }
      });
      assert.equal(r.thrown, true);
      assert.equal(r.status, 401);
      await page.waitForFunction(() => window.Clerk.session === null && window.Clerk.user === null, null, { timeout: 10_000 });
    });

    test('hosted sign-in page (Account Portal stand-in) signs in and redirects back', async () => {
      const url = await page.evaluate(() => window.Clerk.buildSignInUrl());
      console.log(`# ${instance}: clerk-js sign-in URL ${url}`);
      assert.ok(url.startsWith(`${emu.url}/sign-in`), `sign-in URL from the environment: ${url}`);
      if (instance === 'development') assert.match(url, /__clerk_db_jwt=dvb_/, 'clerk-js passes its dev browser');
      await page.goto(url);
      await page.fill('#identifier', EMAIL);
      await page.fill('#password', PASSWORD);
      await page.click('#submit');
      // The page's JS signs in through /v1 and then navigates back to redirect_url.
      await backInTheApp();
      const r = await page.evaluate(async () => {
        await window.Clerk.load();
        return { user: window.Clerk.user?.id ?? null, url: location.href };
      });
      assert.match(r.user ?? '', /^user_/, 'clerk-js is signed in after the redirect back');
      assert.ok(!r.url.includes('__clerk_db_jwt'), 'clerk-js strips __clerk_db_jwt from the URL');
    });

    test('hosted sign-up page: email code, then back to the app signed in as the new user', async () => {
      await page.evaluate(() => window.Clerk.signOut(() => {}));
      const email = `new-${instance}@example.com`;
      const url = await page.evaluate(() => window.Clerk.buildSignUpUrl());
      assert.ok(url.startsWith(`${emu.url}/sign-up`), `sign-up URL from the environment: ${url}`);
      await page.goto(url);
      await page.fill('#first_name', 'New');
      await page.fill('#last_name', 'Person');
      await page.fill('#email_address', email);
      await page.fill('#password', 'new-password-123');
      await page.click('#submit');
      await page.waitForSelector('#verify-form:not(.hidden)', { timeout: 10_000 });
      const { code } = await control(emu, 'GET', `/verification_codes?email=${encodeURIComponent(email)}`);
      await page.fill('#code', code);
      await page.click('#verify');
      await backInTheApp();
      const r = await page.evaluate(async () => {
        await window.Clerk.load();
        return { email: window.Clerk.user?.primaryEmailAddress?.emailAddress ?? null, name: window.Clerk.user?.fullName ?? null };
      });
      assert.equal(r.email, email);
      assert.equal(r.name, 'New Person');
    });

    test('an injected 429 on /tokens: getToken retries and stays signed in', async () => {
      await control(emu, 'DELETE', '/requests');
      await control(emu, 'POST', '/faults', { path: '/v1/client/sessions/*', kind: 'rate_limit', retry_after: 1, times: 1 });
      const r = await page.evaluate(async () => ({
        jwt: await window.Clerk.session.getToken({ skipCache: true }),
        user: window.Clerk.user?.id ?? null,
      }));
      assert.match(r.jwt ?? '', /^ey/);
      assert.match(r.user ?? '', /^user_/);
      const tokens = (await control(emu, 'GET', '/requests')).filter((e) => e.path.endsWith('/tokens'));
      assert.deepEqual(tokens.map((e) => e.status).slice(0, 2), [429, 200], 'rate-limited once, then retried');
    });

    test('an injected 500 on GET /v1/client at load: clerk-js loads degraded', async () => {
      await control(emu, 'POST', '/faults', { path: '/v1/client', method: 'GET', kind: 'status', status: 500, times: 1 });
      await page.reload();
      await page.waitForFunction(() => window.Clerk !== undefined, null, { timeout: 20_000 });
      const r = await page.evaluate(async () => {
        await window.Clerk.load();
        return { loaded: window.Clerk.loaded, status: window.Clerk.status };
      });
      assert.equal(r.loaded, true);
      assert.equal(r.status, 'degraded');
    });

    test('force organization selection: clerk-js sees a pending session until setActive picks an organization', async () => {
      await control(emu, 'POST', '/settings', { force_organization_selection: true });
      const r = await page.evaluate(async ({ email, password }) => {
        const C = window.Clerk;
        if (C.session) await C.signOut(() => {});
        const si = await C.client.signIn.create({ identifier: email, password, strategy: 'password' });
        await C.setActive({ session: si.createdSessionId, navigate: async () => {} });
        const pending = { status: C.session?.status ?? null, task: C.session?.currentTask?.key ?? null,
          isSignedIn: C.isSignedIn, userId: C.user?.id ?? null };
        const jwt = await C.session.getToken({ skipCache: true });
        const orgId = C.user.organizationMemberships[0].organization.id;
        await C.setActive({ organization: orgId });
        return { pending, jwt, orgId, after: { status: C.session?.status ?? null, task: C.session?.currentTask?.key ?? null,
          isSignedIn: C.isSignedIn, org: C.organization?.id ?? null } };
      }, { email: EMAIL, password: PASSWORD });
      assert.equal(r.pending.status, 'pending');
      assert.equal(r.pending.task, 'choose-organization');
      assert.equal(r.pending.isSignedIn, false, 'a pending session is not signed in for clerk-js');
      assert.match(r.pending.userId, /^user_/, 'the user is loaded while pending');
      assert.equal((await verifyJwt(emu, r.jwt)).sts, 'pending');
      assert.equal(r.after.status, 'active');
      assert.equal(r.after.task, null);
      assert.equal(r.after.isSignedIn, true);
      assert.equal(r.after.org, r.orgId);
      await control(emu, 'POST', '/settings', { force_organization_selection: false });
    });

    test('session minter: the token-request form clerk-js sends is the one yew-clerk sends', async () => {
      await control(emu, 'POST', '/settings', { session_minter: true });
      const sent = [];
      const onRequest = (req) => {
        if (req.method() === 'POST' && /\/v1\/client\/sessions\/[^/]+\/tokens/.test(req.url())) {
          sent.push({ url: new URL(req.url()), form: new URLSearchParams(req.postData() ?? '') });
        }
      };
      try {
        // clerk-js reads the environment at load.
        await page.reload();
        await page.waitForFunction(() => window.Clerk !== undefined, null, { timeout: 20_000 });
        page.on('request', onRequest);
        const r = await page.evaluate(async () => {
          const C = window.Clerk;
          await C.load();
          const minter = C.__internal_environment?.authConfig?.sessionMinter ?? null;
          const last = C.session.lastActiveToken?.getRawString() ?? null;
          const forced = await C.session.getToken({ skipCache: true });
          // A second later, so that an edge re-mint (oiat kept) differs from an origin one.
          await new Promise((done) => setTimeout(done, 1100));
          C.session.clearCache();
          const refreshed = await C.session.getToken();
          const template = await C.session.getToken({ template: 'test', skipCache: true });
          return { minter, last, forced, refreshed, template };
        });
        assert.equal(r.minter, true, 'clerk-js read auth_config.session_minter');
        assert.equal(sent.length, 3, 'skipCache, refresh after clearCache, template');
        const names = (s) => [...s.form.keys()].filter((k) => !MINTER_FORMS.clerk_js_only.includes(k));
        const [forced, refreshed, template] = sent;
        assert.deepEqual(names(forced), MINTER_FORMS.skip_cache);
        assert.deepEqual(names(refreshed), MINTER_FORMS.refresh);
        assert.deepEqual(names(template), MINTER_FORMS.template);
        // The previous token rides in the body: the session's last token, then the one just minted.
        assert.equal(forced.form.get('token'), r.last);
        assert.equal(forced.form.get('force_origin'), 'true');
        assert.equal(forced.url.searchParams.get('debug'), 'skip_cache');
        assert.equal(refreshed.form.get('token'), r.forced);
        assert.equal(refreshed.url.searchParams.get('debug'), null);
        for (const s of sent) {
          assert.equal(s.url.searchParams.get('expired_token'), null, 'no expired_token under the minter');
          assert.ok(!s.url.search.includes('eyJ'), 'no token in the URL');
        }
        // The emulator used the token: the refresh was re-minted at the edge (same oiat).
        const oiat = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url')).oiat;
        assert.equal(typeof oiat(r.forced), 'number');
        assert.equal(oiat(r.refreshed), oiat(r.forced));
        assert.ok((await verifyJwt(emu, r.refreshed)).iat > oiat(r.forced), 'a new token, same origin time');
        assert.equal(oiat(r.template), undefined, 'template tokens carry no oiat');
      } finally {
        page.off('request', onRequest);
        await control(emu, 'POST', '/settings', { session_minter: false });
      }
    });
  });
}
