// Conformance of clerk-emulator's custom sign-in flows with the REAL clerk-js: the second
// factor (attemptSecondFactor with TOTP, prepareSecondFactor + phone code, backup code),
// reset password (reset_password_email_code → needs_new_password → resetPassword), the
// phone-code first factor, and the errors clerk-js surfaces for wrong, expired and too many
// codes. TOTP codes are computed here from the secret (RFC 6238), not read from the emulator.
//
// Run from the repo root after `cargo build -p clerk-emulator` and `(cd tools && npm ci)`:
//   node --test tools/conformance/flows.test.mjs
// Env: CLERK_EMULATOR_BIN (default target/debug/clerk-emulator), CHROMIUM (default
//      /usr/bin/chromium), CONFORMANCE_INSTANCES (default development,production).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CLERK_VERSION } from '../lib/clerk-page.mjs';
import {
  EMAIL, PASSWORD, INSTANCES, TOTP_SECRET, totp, wrong, startWithPage, stopSuite, runner,
  control as controlOf,
} from './helpers.mjs';

const MFA_PHONE = '+15555550100';
const LOGIN_PHONE = '+15555550199';

test('the TOTP helper matches RFC 6238 appendix B', () => {
  assert.equal(totp(59), '287082');
  assert.equal(totp(1_111_111_109), '081804');
});

for (const instance of INSTANCES) {
  describe(`clerk-js ${CLERK_VERSION} custom flows against clerk-emulator (${instance})`, () => {
    let emu;
    let pageServer;
    let browser;
    let page;
    let userId;

    const control = (method, p, body) => controlOf(emu, method, p, body);

    /** Replaces the demo user's MFA settings (absent lists clear them). */
    const setMfa = ({ totp_secret = null, backup_codes = [], phone_numbers = [] } = {}) =>
      control('POST', `/users/${userId}/mfa`, { totp_secret, backup_codes, phone_numbers });

    const phoneCode = async (phone) =>
      (await control('GET', `/verification_codes?phone=${encodeURIComponent(phone)}`)).code;

    const run = runner(() => page);

    before(async () => {
      ({ emu, pageServer, browser, page, userId } = await startWithPage(instance));
    });
    after(() => stopSuite({ emu, pageServer, browser }));

    /** signIn.create with the password; the user has MFA so it stops at needs_second_factor. */
    const passwordToSecondFactor = () => run(async ({ email, password }) => {
      const si = await window.Clerk.client.signIn.create({ identifier: email, password, strategy: 'password' });
      return { status: si.status, created: si.createdSessionId,
        second: si.supportedSecondFactors?.map((f) => ({ strategy: f.strategy, phoneNumberId: f.phoneNumberId ?? null,
          safeIdentifier: f.safeIdentifier ?? null })) ?? null };
    }, { email: EMAIL, password: PASSWORD });

    const attemptSecond = (strategy, code) => run(async ({ strategy, code }) => {
      const si = await window.Clerk.client.signIn.attemptSecondFactor({ strategy, code });
      const out = { status: si.status, created: si.createdSessionId,
        verification: si.secondFactorVerification?.status ?? null };
      if (si.status === 'complete') await window.Clerk.setActive({ session: si.createdSessionId });
      return { ...out, userId: window.Clerk.user?.id ?? null };
    }, { strategy, code });

    /** signOut with a no-op redirect callback (else clerk-js navigates away). */
    const signOut = async () => {
      await page.evaluate(() => window.Clerk.signOut(() => {}));
      assert.equal(await page.evaluate(() => window.Clerk.user ?? null), null, 'signed out');
    };

    test('attemptSecondFactor (totp): needs_second_factor, a wrong code, then complete', async () => {
      await setMfa({ totp_secret: TOTP_SECRET });
      const si = await passwordToSecondFactor();
      assert.equal(si.status, 'needs_second_factor');
      assert.equal(si.created, null);
      assert.deepEqual(si.second.map((f) => f.strategy), ['totp']);
      const bad = await attemptSecond('totp', wrong(totp()));
      assert.deepEqual([bad.error?.code, bad.error?.status], ['form_code_incorrect', 422]);
      const ok = await attemptSecond('totp', totp());
      assert.equal(ok.status, 'complete');
      assert.equal(ok.verification, 'verified');
      assert.equal(ok.userId, userId);
      await signOut();
    });

    test('prepareSecondFactor (phone_code) + attemptSecondFactor; too many wrong codes fail it', async () => {
      await setMfa({ phone_numbers: [{ phone_number: MFA_PHONE, second_factor: true }] });
      const si = await passwordToSecondFactor();
      assert.equal(si.status, 'needs_second_factor', JSON.stringify(si));
      const [phone] = si.second;
      assert.equal(phone.strategy, 'phone_code');
      assert.match(phone.phoneNumberId, /^idn_/);
      assert.equal(phone.safeIdentifier, '+1******0100');
      const prepared = await run(async ({ phoneNumberId }) => {
        const si = await window.Clerk.client.signIn.prepareSecondFactor({ strategy: 'phone_code', phoneNumberId });
        return { status: si.status, verification: si.secondFactorVerification?.status ?? null,
          strategy: si.secondFactorVerification?.strategy ?? null };
      }, { phoneNumberId: phone.phoneNumberId });
      assert.deepEqual(prepared, { status: 'needs_second_factor', verification: 'unverified', strategy: 'phone_code' });
      const code = await phoneCode(MFA_PHONE);
      for (let i = 1; i <= 4; i++) {
        assert.equal((await attemptSecond('phone_code', wrong(code))).error?.code, 'form_code_incorrect');
      }
      assert.equal((await attemptSecond('phone_code', wrong(code))).error?.code, 'verification_failed');
      assert.equal((await attemptSecond('phone_code', code)).error?.code, 'verification_failed');
      // A new code recovers.
      await run(async ({ phoneNumberId }) => {
        await window.Clerk.client.signIn.prepareSecondFactor({ strategy: 'phone_code', phoneNumberId });
      }, { phoneNumberId: phone.phoneNumberId });
      const ok = await attemptSecond('phone_code', await phoneCode(MFA_PHONE));
      assert.equal(ok.status, 'complete');
      assert.equal(ok.userId, userId);
      await signOut();
    });

    test('attemptSecondFactor (backup_code) works once', async () => {
      await setMfa({ backup_codes: ['bkp-one-1234', 'bkp-two-5678'] });
      assert.equal((await passwordToSecondFactor()).status, 'needs_second_factor');
      const ok = await attemptSecond('backup_code', 'bkp-one-1234');
      assert.equal(ok.status, 'complete');
      await signOut();
      assert.equal((await passwordToSecondFactor()).status, 'needs_second_factor');
      assert.equal((await attemptSecond('backup_code', 'bkp-one-1234')).error?.code, 'form_code_incorrect');
      assert.equal((await attemptSecond('backup_code', 'bkp-two-5678')).status, 'complete');
      await signOut();
    });

    test('phone_code first factor; an expired code is verification_expired', async () => {
      await setMfa({ phone_numbers: [{ phone_number: LOGIN_PHONE }] });
      const started = await run(async ({ phone }) => {
        const si = await window.Clerk.client.signIn.create({ identifier: phone });
        const f = si.supportedFirstFactors.find((x) => x.strategy === 'phone_code');
        const p = await si.prepareFirstFactor({ strategy: 'phone_code', phoneNumberId: f.phoneNumberId });
        return { status: p.status, verification: p.firstFactorVerification.status };
      }, { phone: LOGIN_PHONE });
      assert.deepEqual(started, { status: 'needs_first_factor', verification: 'unverified' });
      const attemptFirst = (code) => run(async ({ code }) => {
        const si = await window.Clerk.client.signIn.attemptFirstFactor({ strategy: 'phone_code', code });
        if (si.status === 'complete') await window.Clerk.setActive({ session: si.createdSessionId });
        return { status: si.status, userId: window.Clerk.user?.id ?? null };
      }, { code });
      const code = await phoneCode(LOGIN_PHONE);
      await control('POST', '/verifications/expire');
      assert.equal((await attemptFirst(code)).error?.code, 'verification_expired');
      const expired = await run(() => window.Clerk.client.signIn.reload().then((s) => s.firstFactorVerification.status));
      assert.equal(expired, 'expired');
      await run(async () => {
        const si = window.Clerk.client.signIn;
        const f = si.supportedFirstFactors.find((x) => x.strategy === 'phone_code');
        await si.prepareFirstFactor({ strategy: 'phone_code', phoneNumberId: f.phoneNumberId });
      });
      const ok = await attemptFirst(await phoneCode(LOGIN_PHONE));
      assert.deepEqual(ok, { status: 'complete', userId });
      await signOut();
      await setMfa();
    });

    test('reset password: reset_password_email_code → needs_new_password → resetPassword', async () => {
      await setMfa();
      const started = await run(async ({ email }) => {
        const si = await window.Clerk.client.signIn.create({ strategy: 'reset_password_email_code', identifier: email });
        return { status: si.status, strategy: si.firstFactorVerification?.strategy ?? null,
          factors: si.supportedFirstFactors.map((f) => f.strategy) };
      }, { email: EMAIL });
      assert.equal(started.status, 'needs_first_factor');
      assert.equal(started.strategy, 'reset_password_email_code');
      assert.ok(started.factors.includes('reset_password_email_code'));
      const { code } = await control('GET', `/verification_codes?email=${EMAIL}`);
      const attempt = (code) => run(async ({ code }) => {
        const si = await window.Clerk.client.signIn.attemptFirstFactor({ strategy: 'reset_password_email_code', code });
        return { status: si.status };
      }, { code });
      assert.equal((await attempt(wrong(code))).error?.code, 'form_code_incorrect');
      assert.deepEqual(await attempt(code), { status: 'needs_new_password' });
      const reset = (password) => run(async ({ password }) => {
        const si = await window.Clerk.client.signIn.resetPassword({ password, signOutOfOtherSessions: true });
        if (si.status === 'complete') await window.Clerk.setActive({ session: si.createdSessionId });
        return { status: si.status, userId: window.Clerk.user?.id ?? null };
      }, { password });
      assert.equal((await reset('short')).error?.code, 'form_password_length_too_short');
      // The same password again keeps the other tests' credentials valid.
      assert.deepEqual(await reset(PASSWORD), { status: 'complete', userId });
      const log = await control('GET', '/requests');
      const hit = log.find((e) => e.path.endsWith('/reset_password') && e.status === 200);
      assert.ok(hit, 'clerk-js called POST …/reset_password');
      await signOut();
    });
  });
}
