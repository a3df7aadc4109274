// Conformance of clerk-emulator's session reverification with the REAL clerk-js:
// session.startVerification + prepareFirstFactorVerification / attemptFirstFactorVerification
// (password, email code), attemptSecondFactorVerification (TOTP), the errors clerk-js
// surfaces for a wrong password or code, and the session's factorVerificationAge (and the
// token's fva) after each step. The protected call is the emulator's /__emulator/protected
// stand-in, read with @clerk/shared's isReverificationHint rule.
//
// Run from the repo root after `cargo build -p clerk-emulator` and `(cd tools && npm ci)`:
//   node --test tools/conformance/reverification.test.mjs
// Env: CLERK_EMULATOR_BIN (default target/debug/clerk-emulator), CHROMIUM (default
//      /usr/bin/chromium), CONFORMANCE_INSTANCES (default development,production).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CLERK_VERSION } from '../lib/clerk-page.mjs';
import {
  EMAIL, PASSWORD, INSTANCES, TOTP_SECRET, totp, wrong, startWithPage, stopSuite, runner,
  controlCall,
} from './helpers.mjs';

/** @clerk/shared's isReverificationHint. */
const isReverificationHint = (r) => r && typeof r === 'object' && 'clerk_error' in r
  && r.clerk_error?.type === 'forbidden' && r.clerk_error?.reason === 'reverification-error';

for (const instance of INSTANCES) {
  describe(`clerk-js ${CLERK_VERSION} session reverification against clerk-emulator (${instance})`, () => {
    let emu;
    let pageServer;
    let browser;
    let page;
    let userId;

    /** A control API call: `{status, body}`. */
    const control = (method, p, body, headers) => controlCall(emu, method, p, body, headers);

    const run = runner(() => page);

    /** The session's fva as clerk-js sees it: factorVerificationAge and the fresh token's claim. */
    const ages = () => run(async () => {
      const s = window.Clerk.session;
      const jwt = await s.getToken({ skipCache: true });
      const claims = JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      await window.Clerk.session.reload();
      return { session: window.Clerk.session.factorVerificationAge, token: claims.fva, jwt };
    });

    const protectedCall = async (jwt) =>
      control('POST', '/protected', { reverification: 'strict' }, { authorization: `Bearer ${jwt}` });

    before(async () => {
      ({ emu, pageServer, browser, page, userId } = await startWithPage(instance));
    });
    after(() => stopSuite({ emu, pageServer, browser }));

    const signOut = () => page.evaluate(() => window.Clerk.signOut(() => {}));

    test('startVerification (no second factor → first_factor) + password: a wrong one, then fva fresh', async () => {
      const signedIn = await run(async ({ email, password }) => {
        const si = await window.Clerk.client.signIn.create({ identifier: email, password, strategy: 'password' });
        await window.Clerk.setActive({ session: si.createdSessionId });
        return window.Clerk.session.id;
      }, { email: EMAIL, password: PASSWORD });
      assert.match(signedIn, /^sess_/);
      const aged = await control('POST', `/sessions/${signedIn}/factor_age`, { first_factor_minutes: 20 });
      assert.deepEqual(aged.body.fva, [20, -1]);
      const before = await ages();
      assert.deepEqual(before.session, [20, -1]);
      assert.deepEqual(before.token, [20, -1]);
      const denied = await protectedCall(before.jwt);
      assert.equal(denied.status, 403);
      assert.ok(isReverificationHint(denied.body), JSON.stringify(denied.body));
      assert.equal(denied.body.clerk_error.metadata.reverification, 'strict');

      const started = await run(async () => {
        const v = await window.Clerk.session.startVerification({ level: 'second_factor' });
        return { status: v.status, level: v.level, first: v.supportedFirstFactors?.map((f) => f.strategy),
          second: v.supportedSecondFactors, sessionId: v.session.id };
      });
      assert.deepEqual(started, { status: 'needs_first_factor', level: 'first_factor',
        first: ['password', 'email_code'], second: null, sessionId: signedIn });
      const bad = await run(() => window.Clerk.session.attemptFirstFactorVerification({ strategy: 'password', password: 'not-it' }));
      assert.deepEqual([bad.error?.code, bad.error?.status], ['form_password_incorrect', 422]);
      const ok = await run(async ({ password }) => {
        const v = await window.Clerk.session.attemptFirstFactorVerification({ strategy: 'password', password });
        return { status: v.status, first: v.firstFactorVerification.status, age: v.session.factorVerificationAge };
      }, { password: PASSWORD });
      assert.deepEqual(ok, { status: 'complete', first: 'verified', age: [0, -1] });
      const after = await ages();
      assert.deepEqual(after.token, [0, -1]);
      assert.equal((await protectedCall(after.jwt)).status, 200);
      await signOut();
    });

    test('prepareFirstFactorVerification (email_code) + attempt with a wrong, then the right code', async () => {
      const sid = await run(async ({ email, password }) => {
        const si = await window.Clerk.client.signIn.create({ identifier: email, password, strategy: 'password' });
        await window.Clerk.setActive({ session: si.createdSessionId });
        return window.Clerk.session.id;
      }, { email: EMAIL, password: PASSWORD });
      await control('POST', `/sessions/${sid}/factor_age`, { first_factor_minutes: 15 });
      const prepared = await run(async () => {
        const v = await window.Clerk.session.startVerification({ level: 'first_factor' });
        const email = v.supportedFirstFactors.find((f) => f.strategy === 'email_code');
        const p = await window.Clerk.session.prepareFirstFactorVerification({ strategy: 'email_code', emailAddressId: email.emailAddressId });
        return { status: p.status, verification: p.firstFactorVerification.status, strategy: p.firstFactorVerification.strategy };
      });
      assert.deepEqual(prepared, { status: 'needs_first_factor', verification: 'unverified', strategy: 'email_code' });
      const { code } = (await control('GET', `/verification_codes?email=${EMAIL}`)).body;
      const bad = await run(({ code }) => window.Clerk.session.attemptFirstFactorVerification({ strategy: 'email_code', code }), { code: wrong(code) });
      assert.deepEqual([bad.error?.code, bad.error?.status], ['form_code_incorrect', 422]);
      const ok = await run(async ({ code }) => {
        const v = await window.Clerk.session.attemptFirstFactorVerification({ strategy: 'email_code', code });
        return { status: v.status, age: v.session.factorVerificationAge };
      }, { code });
      assert.deepEqual(ok, { status: 'complete', age: [0, -1] });
      await signOut();
    });

    test('second_factor with TOTP: attemptSecondFactorVerification refreshes only the second factor', async () => {
      await control('POST', `/users/${userId}/mfa`, { totp_secret: TOTP_SECRET });
      const sid = await run(async ({ email, password, code }) => {
        const si = await window.Clerk.client.signIn.create({ identifier: email, password, strategy: 'password' });
        const done = await window.Clerk.client.signIn.attemptSecondFactor({ strategy: 'totp', code });
        await window.Clerk.setActive({ session: done.createdSessionId });
        return window.Clerk.session.id;
      }, { email: EMAIL, password: PASSWORD, code: totp() });
      assert.match(sid, /^sess_/);
      await control('POST', `/sessions/${sid}/factor_age`, { first_factor_minutes: 30, second_factor_minutes: 30 });
      const started = await run(async () => {
        const v = await window.Clerk.session.startVerification({ level: 'second_factor' });
        return { status: v.status, second: v.supportedSecondFactors.map((f) => f.strategy) };
      });
      assert.deepEqual(started, { status: 'needs_second_factor', second: ['totp'] });
      const bad = await run(({ code }) => window.Clerk.session.attemptSecondFactorVerification({ strategy: 'totp', code }), { code: wrong(totp()) });
      assert.deepEqual([bad.error?.code, bad.error?.status], ['form_code_incorrect', 422]);
      const ok = await run(async ({ code }) => {
        const v = await window.Clerk.session.attemptSecondFactorVerification({ strategy: 'totp', code });
        return { status: v.status, second: v.secondFactorVerification.status, age: v.session.factorVerificationAge };
      }, { code: totp() });
      assert.deepEqual(ok, { status: 'complete', second: 'verified', age: [30, 0] });
      const after = await ages();
      assert.deepEqual(after.token, [30, 0]);
      assert.equal((await protectedCall(after.jwt)).status, 200);
      await control('POST', `/users/${userId}/mfa`, { totp_secret: null });
      await signOut();
    });
  });
}
