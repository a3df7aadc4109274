// End-to-end tests of the demo app (demo/), built by trunk, in headless Chromium (playwright-core).
//
// Run through `scripts/test e2e` (it builds the demo and the binaries first), or by hand:
//   cargo build -p clerk-emulator -p demo-api && TRUNK_OFFLINE=true trunk build --dist /tmp/e2e-dist
//   E2E_DIST=/tmp/e2e-dist node --test tools/e2e/
// Env: E2E_DIST (the trunk dist folder, required), CLERK_EMULATOR_BIN and DEMO_API_BIN (default
// target/debug/...), CHROMIUM (default /usr/bin/chromium).
//
// Each run starts its own emulator (development instance) and demo API on free ports; the
// demo API serves the dist folder and /api on one origin. Screenshots go to test-artifacts/e2e/.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { children, freePort, startServer } from '../lib/servers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoDir = path.resolve(here, '../..');
const EMULATOR_BIN = path.resolve(repoDir, process.env.CLERK_EMULATOR_BIN || 'target/debug/clerk-emulator');
const API_BIN = path.resolve(repoDir, process.env.DEMO_API_BIN || 'target/debug/demo-api');
const DIST = process.env.E2E_DIST ? path.resolve(repoDir, process.env.E2E_DIST) : '';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = path.join(repoDir, 'test-artifacts/e2e');
const UI_TIMEOUT = 30_000;

const USER1 = { email: 'demo@example.com', password: 'demo-password-123', name: 'Demo User' };
const USER2 = { email: 'second@example.com', password: 'second-password-456', first_name: 'Second', last_name: 'Person' };

async function control(emulator, method, pathname, body) {
  const res = await fetch(`${emulator}/__emulator${pathname}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} /__emulator${pathname} -> ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

describe('demo app end to end', { concurrency: false }, () => {
  let emulator; // URL
  let app; // URL of the demo (demo-api serving dist + /api)
  let context;
  let page;

  async function shot(name) {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  }

  async function signInOnHostedPage(p, { email, password }) {
    await p.locator('#identifier').waitFor({ timeout: UI_TIMEOUT });
    await p.locator('#identifier').fill(email);
    await p.locator('#password').fill(password);
    await p.locator('#submit').click();
  }

  async function userId(p) {
    return (await p.locator('#auth-user-id').innerText()).trim();
  }

  before(async () => {
    assert.ok(DIST && fs.existsSync(path.join(DIST, 'index.html')),
      `E2E_DIST must point at a trunk build of the demo (got ${JSON.stringify(DIST)}); run scripts/test e2e`);
    assert.ok(fs.existsSync(EMULATOR_BIN), `${EMULATOR_BIN} exists (cargo build -p clerk-emulator)`);
    assert.ok(fs.existsSync(API_BIN), `${API_BIN} exists (cargo build -p demo-api)`);
    fs.rmSync(SHOTS, { recursive: true, force: true });

    const emuOut = await startServer('clerk-emulator', EMULATOR_BIN,
      ['--addr', '127.0.0.1:0'], /clerk-emulator ready on (\S+)/);
    emulator = /clerk-emulator ready on (\S+)/.exec(emuOut)[1];
    const key = /clerk-emulator publishable_key=(\S+)/.exec(emuOut)[1];
    // The Backend API subset, for the demo API's currentUser() (GET /api/user).
    const [, secretKey, backendApi] = /clerk-emulator secret_key=(\S+) backend_api=(\S+)/.exec(emuOut);

    const port = await freePort();
    app = `http://127.0.0.1:${port}`;
    await startServer('demo-api', API_BIN, [
      '--addr', `127.0.0.1:${port}`, '--publishable-key', key, '--proxy-url', emulator,
      '--authorized-parties', app, '--static-dir', DIST,
      '--secret-key', secretKey, '--api-url', backendApi,
    ], /demo-api listening on/);

    await control(emulator, 'POST', '/users', USER2);

    context = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'yew-clerk-e2e-')), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1200, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    page = context.pages()[0] ?? await context.newPage();
    page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
  });

  after(async () => {
    await context?.close().catch(() => {});
    for (const c of children) c.kill('SIGTERM');
  });

  test('signed out at first: the sign-in button is shown', async () => {
    await page.goto(app);
    await page.locator('#signed-out').waitFor({ timeout: UI_TIMEOUT });
    // index.html loads yew-clerk's prefetch snippet, configured for this emulator.
    const prefetch = await page.evaluate(async () => (await fetch('/api/clerk-prefetch.js')).text());
    assert.ok(prefetch.includes(`('${emulator}', true, '`), prefetch);
    await shot('01-signed-out');
  });

  test('wrong password in the headless form (use_sign_in) shows the error', async () => {
    await page.locator('#headless-email').fill(USER1.email);
    await page.locator('#headless-password').fill('not-the-password');
    await page.locator('#headless-submit').click();
    await page.locator('#headless-error').waitFor({ timeout: UI_TIMEOUT });
    assert.ok((await page.locator('#headless-error').innerText()).trim().length > 0);
    assert.equal(await page.locator('#signed-in').count(), 0);
    await shot('02-headless-invalid-credentials');
  });

  test('wrong password on the hosted page shows the error and stays signed out', async () => {
    await page.locator('#signed-out section:first-child button').click();
    await page.waitForURL((u) => u.href.startsWith(emulator), { timeout: UI_TIMEOUT });
    await signInOnHostedPage(page, { email: USER1.email, password: 'not-the-password' });
    await page.waitForFunction(() => (document.getElementById('error')?.textContent || '').trim().length > 0,
      null, { timeout: UI_TIMEOUT });
    const message = (await page.locator('#error').innerText()).trim();
    assert.ok(message.length > 0, 'an error message is shown');
    await shot('02-hosted-invalid-credentials');
  });

  test('sign in on the hosted page and come back signed in with the profile', async () => {
    await signInOnHostedPage(page, USER1);
    await page.waitForURL((u) => u.href.startsWith(app), { timeout: UI_TIMEOUT });
    await page.locator('#signed-in').waitFor({ timeout: UI_TIMEOUT });
    assert.equal((await page.locator('#user-name').innerText()).trim(), USER1.name);
    assert.equal((await page.locator('#user-email').innerText()).trim(), USER1.email);
    assert.match(await userId(page), /^user_/);
    assert.match((await page.locator('#auth-session-id').innerText()).trim(), /^sess_/);
    // The dev-browser id handed back in the URL is adopted and removed from the address bar.
    assert.ok(!page.url().includes('__clerk_db_jwt'), `address bar still carries the dev browser: ${page.url()}`);
    await shot('03-signed-in');
  });

  test('the protected API verifies the session token', async () => {
    await page.locator('#call-api').click();
    await page.locator('#api-answer').waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await page.locator('#api-answer').getAttribute('data-status'), '200');
    const body = JSON.parse(await page.locator('#api-body').innerText());
    assert.equal(body.user_id, await userId(page));
    assert.equal(body.session_id, (await page.locator('#auth-session-id').innerText()).trim());
    await shot('04-api-answer');
  });

  test('the server reads the user with currentUser() (Backend API)', async () => {
    await page.locator('#call-server-user').click();
    await page.locator('#server-user-answer').waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await page.locator('#server-user-answer').getAttribute('data-status'), '200');
    const body = JSON.parse(await page.locator('#server-user-body').innerText());
    assert.equal(body.user_id, await userId(page));
    assert.equal(body.email, USER1.email);
    assert.equal(body.name, USER1.name);
  });

  test('the API rejects a request without a token, and accepts the __session cookie', async () => {
    const bare = await page.evaluate(async () => {
      const res = await fetch('/api/me', { credentials: 'omit' });
      return { status: res.status, body: await res.json() };
    });
    assert.equal(bare.status, 401);
    // Clerk's reason for a development instance (the emulator's key is on a Clerk dev host)
    // when the request carries no dev-browser cookie, before looking for a token.
    assert.equal(bare.body.reason, 'dev-browser-missing');
    // Same-origin requests carry the __session cookie the library writes (like Clerk's
    // backend SDKs, the demo API falls back to it when there is no Authorization header).
    const withCookie = await page.evaluate(async () => {
      const res = await fetch('/api/me');
      return { status: res.status, body: await res.json() };
    });
    assert.equal(withCookie.status, 200, JSON.stringify(withCookie.body));
    assert.equal(withCookie.body.user_id, await userId(page));
  });

  test('a reload stays signed in', async () => {
    const before = await userId(page);
    await page.reload();
    await page.locator('#signed-in').waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await userId(page), before);
    await shot('05-after-reload');
  });

  test('switching the organization changes the token claims', async () => {
    await page.locator('#organizations .switch-org').first().click();
    await page.waitForFunction(() => (document.getElementById('auth-org-id')?.textContent || '').startsWith('org_'),
      null, { timeout: UI_TIMEOUT });
    const orgId = (await page.locator('#auth-org-id').innerText()).trim();
    await page.locator('#call-api').click();
    await page.waitForFunction((id) => (document.getElementById('api-body')?.textContent || '').includes(id),
      orgId, { timeout: UI_TIMEOUT });
    const body = JSON.parse(await page.locator('#api-body').innerText());
    assert.equal(body.org_id, orgId);
    await shot('06-organization');
    await page.locator('#org-personal').click();
    await page.waitForFunction(() => !(document.getElementById('auth-org-id')?.textContent || '').startsWith('org_'),
      null, { timeout: UI_TIMEOUT });
  });

  test('sign in a second account, then switch between the two sessions', async () => {
    const first = await userId(page);
    await page.getByText('Add another account').click();
    await signInOnHostedPage(page, USER2);
    await page.waitForURL((u) => u.href.startsWith(app), { timeout: UI_TIMEOUT });
    await page.locator('#signed-in').waitFor({ timeout: UI_TIMEOUT });
    await page.waitForFunction(() => document.querySelectorAll('#sessions li[data-session-id]').length === 2,
      null, { timeout: UI_TIMEOUT });
    const second = await userId(page);
    assert.notEqual(second, first, 'the new session is current');
    assert.equal((await page.locator('#user-email').innerText()).trim(), USER2.email);
    await shot('07-two-sessions');

    await page.locator('#sessions .switch-session').click();
    await page.waitForFunction((id) => document.getElementById('auth-user-id')?.textContent?.trim() === id,
      first, { timeout: UI_TIMEOUT });
    assert.equal((await page.locator('#user-email').innerText()).trim(), USER1.email);
    await shot('08-switched-session');
  });

  test('signing out in one tab signs out the other tab', async () => {
    const second = await context.newPage();
    await second.goto(app);
    await second.locator('#signed-in').waitFor({ timeout: UI_TIMEOUT });

    await page.bringToFront();
    await page.getByText('Sign out of all sessions').click();
    await page.locator('#signed-out').waitFor({ timeout: UI_TIMEOUT });
    await second.locator('#signed-out').waitFor({ timeout: UI_TIMEOUT });
    await second.screenshot({ path: path.join(SHOTS, '09-second-tab-signed-out.png'), fullPage: true });
    await second.close();

    const status = await page.evaluate(async () => (await fetch('/api/me')).status);
    assert.equal(status, 401);
  });

  test('sign in with the headless form (use_sign_in)', async () => {
    await page.locator('#headless-email').fill(USER2.email);
    await page.locator('#headless-password').fill(USER2.password);
    await page.locator('#headless-submit').click();
    await page.locator('#signed-in').waitFor({ timeout: UI_TIMEOUT });
    assert.equal((await page.locator('#user-email').innerText()).trim(), USER2.email);
    await page.locator('#call-api').click();
    await page.locator('#api-answer[data-status="200"]').waitFor({ timeout: UI_TIMEOUT });
    await shot('10-headless-signed-in');
  });

  test('force organization selection: the hosted page asks for an organization before coming back', async () => {
    await page.getByText('Sign out of all sessions').click();
    await page.locator('#signed-out').waitFor({ timeout: UI_TIMEOUT });
    await control(emulator, 'POST', '/settings', { force_organization_selection: true });
    try {
      await page.locator('#signed-out section:first-child button').click();
      await page.waitForURL((u) => u.href.startsWith(emulator), { timeout: UI_TIMEOUT });
      await signInOnHostedPage(page, USER1);
      // The new session is pending (task choose-organization): the hosted page finishes the task.
      const choice = page.locator('#choose-organization button.organization').first();
      await choice.waitFor({ timeout: UI_TIMEOUT });
      const sessions = await control(emulator, 'GET', '/sessions');
      assert.ok(sessions.some((s) => s.status === 'pending'), JSON.stringify(sessions));
      await shot('11-choose-organization');
      const orgId = await choice.getAttribute('data-organization-id');
      await choice.click();
      await page.waitForURL((u) => u.href.startsWith(app), { timeout: UI_TIMEOUT });
      await page.locator('#signed-in').waitFor({ timeout: UI_TIMEOUT });
      await page.waitForFunction((id) => document.getElementById('auth-org-id')?.textContent?.trim() === id,
        orgId, { timeout: UI_TIMEOUT });
      assert.equal((await page.locator('#user-email').innerText()).trim(), USER1.email);
      await shot('12-signed-in-with-organization');
    } finally {
      await control(emulator, 'POST', '/settings', { force_organization_selection: false });
    }
  });

  test('force organization selection: a pending session from the headless form continues on the task page', async () => {
    await page.getByText('Sign out of all sessions').click();
    await page.locator('#signed-out').waitFor({ timeout: UI_TIMEOUT });
    await control(emulator, 'POST', '/settings', { force_organization_selection: true });
    try {
      await page.locator('#headless-email').fill(USER1.email);
      await page.locator('#headless-password').fill(USER1.password);
      await page.locator('#headless-submit').click();
      // Pending reads as signed out; the demo offers the task (redirect_to_tasks).
      await page.locator('#pending-task').waitFor({ timeout: UI_TIMEOUT });
      assert.equal(await page.locator('#signed-in').count(), 0);
      await shot('13-pending-task');
      await page.locator('#finish-task').click();
      await page.waitForURL((u) => u.href.startsWith(emulator) && u.hash.startsWith('#/tasks/choose-organization'),
        { timeout: UI_TIMEOUT });
      const choice = page.locator('#choose-organization button.organization').first();
      await choice.waitFor({ timeout: UI_TIMEOUT });
      const orgId = await choice.getAttribute('data-organization-id');
      await choice.click();
      await page.waitForURL((u) => u.href.startsWith(app), { timeout: UI_TIMEOUT });
      await page.waitForFunction((id) => document.getElementById('auth-org-id')?.textContent?.trim() === id,
        orgId, { timeout: UI_TIMEOUT });
      assert.equal(await page.locator('#pending-task').count(), 0);
    } finally {
      await control(emulator, 'POST', '/settings', { force_organization_selection: false });
    }
  });

  test('a reverification-protected action: stale fva → verify with the password (a wrong one first) → retried', async () => {
    await page.locator('#signed-in').waitFor({ timeout: UI_TIMEOUT });
    // Every signed-in session's first factor is 20 minutes old; the reload loads a stale token.
    const sessions = await control(emulator, 'GET', '/sessions');
    for (const s of sessions.filter((s) => s.status === 'active')) {
      await control(emulator, 'POST', `/sessions/${s.id}/factor_age`, { first_factor_minutes: 20 });
    }
    await page.reload();
    await page.locator('#call-sensitive').waitFor({ timeout: UI_TIMEOUT });
    await page.locator('#call-sensitive').click();
    await page.locator('#reverify-input').waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await page.locator('#sensitive-answer').count(), 0);
    await page.locator('#reverify-input').fill('not-the-password');
    await page.locator('#reverify-submit').click();
    await page.waitForFunction(() => document.getElementById('reverify-error')?.dataset.code === 'form_password_incorrect',
      null, { timeout: UI_TIMEOUT });
    await page.locator('#reverify-input').fill(USER1.password);
    await page.locator('#reverify-submit').click();
    await page.waitForFunction(() => document.getElementById('sensitive-answer')?.dataset.status === '200',
      null, { timeout: UI_TIMEOUT });
    const body = await page.locator('#sensitive-answer pre').innerText();
    assert.match(body, /"fva":\[0,/);
    assert.equal(await page.locator('#reverify-form').count(), 0);
    await shot('17-reverification');
  });

  test('Continue with Google (emulated): provider page, callback, signed in (OAuth by redirect)', async () => {
    await page.goto(app);
    await page.locator('#signed-in, #signed-out').first().waitFor({ timeout: UI_TIMEOUT });
    if (await page.locator('#signed-in').count()) {
      await page.getByText('Sign out of all sessions').click();
    }
    await page.locator('#signed-out').waitFor({ timeout: UI_TIMEOUT });
    await page.locator('#oauth-google').click();
    // The emulator's identity provider: choose the demo user's Google account.
    await page.waitForURL((u) => u.href.startsWith(`${emulator}/oauth/authorize`), { timeout: UI_TIMEOUT });
    await shot('14-oauth-provider');
    await page.locator(`a.account[data-email="${USER1.email}"]`).click();
    // /v1/oauth_callback -> /?sso-callback=1 (AuthenticateWithRedirectCallback) -> /
    await page.waitForURL((u) => u.href.startsWith(app) && !u.search.includes('sso-callback'), { timeout: UI_TIMEOUT });
    await page.locator('#signed-in').waitFor({ timeout: UI_TIMEOUT });
    assert.equal((await page.locator('#user-email').innerText()).trim(), USER1.email);
    await shot('15-oauth-signed-in');
  });

  test('Continue with Google (emulated) with a new account: transferred to a sign-up', async () => {
    await page.getByText('Sign out of all sessions').click();
    await page.locator('#signed-out').waitFor({ timeout: UI_TIMEOUT });
    await page.locator('#oauth-google').click();
    await page.waitForURL((u) => u.href.startsWith(`${emulator}/oauth/authorize`), { timeout: UI_TIMEOUT });
    await page.locator('a.account[data-email="new.user@example.com"]').click();
    await page.waitForURL((u) => u.href.startsWith(app) && !u.search.includes('sso-callback'), { timeout: UI_TIMEOUT });
    await page.locator('#signed-in').waitFor({ timeout: UI_TIMEOUT });
    assert.equal((await page.locator('#user-email').innerText()).trim(), 'new.user@example.com');
    const users = await control(emulator, 'GET', '/users');
    assert.ok(users.some((u) => u.email_addresses[0].email_address === 'new.user@example.com'));
  });

  test('Continue with Google (emulated), denied at the provider: the callback page shows the error', async () => {
    await page.getByText('Sign out of all sessions').click();
    await page.locator('#signed-out').waitFor({ timeout: UI_TIMEOUT });
    await page.locator('#oauth-google').click();
    await page.waitForURL((u) => u.href.startsWith(`${emulator}/oauth/authorize`), { timeout: UI_TIMEOUT });
    await page.locator('#deny').click();
    await page.locator('#sso-error').waitFor({ timeout: UI_TIMEOUT });
    assert.match(await page.locator('#sso-error').innerText(), /oauth_access_denied/);
    assert.equal(await page.locator('#signed-in').count(), 0);
    await shot('16-oauth-denied');
  });
});
