// Conformance of clerk-emulator's OAuth / SSO by redirect with the REAL clerk-js:
// signIn/signUp.authenticateWithRedirect navigates the page to the emulator's identity provider,
// the account link goes through /v1/oauth_callback back to the page, and
// Clerk.handleRedirectCallback finishes (set active, or the transfers both ways). The whole
// round trip is real top-level navigation in Chromium; nothing here is our client.
//
// Run from the repo root after `cargo build -p clerk-emulator` and `(cd tools && npm ci)`:
//   node --test tools/conformance/oauth.test.mjs
// Env: CLERK_EMULATOR_BIN (default target/debug/clerk-emulator), CHROMIUM (default
//      /usr/bin/chromium), CONFORMANCE_INSTANCES (default development,production).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CLERK_VERSION } from '../lib/clerk-page.mjs';
import {
  EMAIL, INSTANCES, startSuite, launchChromium, stopSuite, openClerkPage, loadClerk,
} from './helpers.mjs';

const NEW_EMAIL = 'new.user@example.com';

for (const instance of INSTANCES) {
  describe(`clerk-js ${CLERK_VERSION} OAuth by redirect against clerk-emulator (${instance})`, () => {
    let emu;
    let pageServer;
    let browser;

    before(async () => {
      ({ emu, pageServer } = await startSuite(instance));
      browser = await launchChromium();
    });

    after(() => stopSuite({ emu, pageServer, browser }));

    /** A fresh browser (no client yet) on the page, clerk-js loaded. */
    const freshPage = () => openClerkPage(browser, pageServer);

    /** Starts `resource.authenticateWithRedirect` (clerk-js navigates to the provider page). */
    async function toProvider(page, resource, strategy) {
      const callback = `${pageServer.url}?sso-callback=1`;
      const done = `${pageServer.url}?done=1`;
      await Promise.all([
        page.waitForURL((u) => u.pathname === '/oauth/authorize', { timeout: 20_000 }),
        page.evaluate(({ resource, strategy, callback, done }) => {
          // Not awaited: the page is navigating away.
          window.Clerk.client[resource].authenticateWithRedirect({
            strategy, redirectUrl: callback, redirectUrlComplete: done,
          });
        }, { resource, strategy, callback, done }),
      ]);
      assert.ok(page.url().startsWith(`${emu.url}/oauth/authorize?`), page.url());
    }

    /** Picks an account (or Deny) on the provider page; lands back on the callback page. */
    async function choose(page, email) {
      const link = email ? page.locator(`a.account[data-email="${email}"]`) : page.locator('#deny');
      await Promise.all([
        page.waitForURL((u) => u.searchParams.get('sso-callback') === '1', { timeout: 20_000 }),
        link.click(),
      ]);
      await loadClerk(page);
    }

    /** handleRedirectCallback; resolves once it navigated to `?done=1` (or elsewhere). */
    async function handle(page, expectDone = true) {
      const nav = expectDone
        ? page.waitForURL((u) => u.searchParams.get('done') === '1', { timeout: 20_000 })
        : null;
      await page.evaluate(() => {
        window.Clerk.handleRedirectCallback({
          signInFallbackRedirectUrl: '/?done=1', signUpFallbackRedirectUrl: '/?done=1',
        });
      });
      if (expectDone) {
        await nav;
        await loadClerk(page);
      }
    }

    const me = (page) => page.evaluate(() => ({
      email: window.Clerk.user?.primaryEmailAddress?.emailAddress ?? null,
      strategy: window.Clerk.client.lastAuthenticationStrategy ?? null,
    }));

    test('sign-in of an existing user: provider → callback → handleRedirectCallback → signed in', async () => {
      const page = await freshPage();
      await toProvider(page, 'signIn', 'oauth_google');
      await choose(page, EMAIL);
      const si = await page.evaluate(() => ({
        status: window.Clerk.client.signIn.status,
        verification: window.Clerk.client.signIn.firstFactorVerification.status,
        strategy: window.Clerk.client.signIn.firstFactorVerification.strategy,
      }));
      assert.deepEqual(si, { status: 'complete', verification: 'verified', strategy: 'oauth_google' });
      await handle(page);
      assert.deepEqual(await me(page), { email: EMAIL, strategy: 'oauth_google' });
      await page.context().close();
    });

    test('sign-in of an unknown account: transferable, handleRedirectCallback signs up (transfer)', async () => {
      const page = await freshPage();
      await toProvider(page, 'signIn', 'oauth_github');
      await choose(page, NEW_EMAIL);
      const v = await page.evaluate(() => ({
        status: window.Clerk.client.signIn.firstFactorVerification.status,
        code: window.Clerk.client.signIn.firstFactorVerification.error?.code ?? null,
      }));
      assert.deepEqual(v, { status: 'transferable', code: 'external_account_not_found' });
      await handle(page);
      assert.equal((await me(page)).email, NEW_EMAIL);
      await page.context().close();
    });

    test('sign-up with an existing account: external_account_exists, handleRedirectCallback signs in', async () => {
      const page = await freshPage();
      await toProvider(page, 'signUp', 'oauth_google');
      await choose(page, EMAIL);
      const v = await page.evaluate(() => ({
        status: window.Clerk.client.signUp.verifications.externalAccount.status,
        code: window.Clerk.client.signUp.verifications.externalAccount.error?.code ?? null,
      }));
      assert.deepEqual(v, { status: 'transferable', code: 'external_account_exists' });
      await handle(page);
      assert.equal((await me(page)).email, EMAIL);
      await page.context().close();
    });

    test('denied at the provider: failed with oauth_access_denied, clerk-js goes to the sign-in page', async () => {
      const page = await freshPage();
      await toProvider(page, 'signIn', 'oauth_google');
      await choose(page, null);
      const v = await page.evaluate(() => ({
        status: window.Clerk.client.signIn.firstFactorVerification.status,
        code: window.Clerk.client.signIn.firstFactorVerification.error?.code ?? null,
        user: window.Clerk.user ?? null,
      }));
      assert.deepEqual(v, { status: 'failed', code: 'oauth_access_denied', user: null });
      const toSignIn = page.waitForURL((u) => u.href.startsWith(`${emu.url}/sign-in`), { timeout: 20_000 });
      await handle(page, false);
      await toSignIn;
      await page.context().close();
    });
  });
}
