// End-to-end tests of the server-side rendered demo (demo-ssr, `scripts/demo --ssr`) in headless
// Chromium (playwright-core).
//
// By hand:
//   cargo build -p clerk-emulator -p demo-ssr --bin demo-ssr
//   cargo build -p demo-ssr --bin demo-ssr-app --target wasm32-unknown-unknown --release
//   wasm-bindgen --target web --no-typescript --out-dir dist-ssr/pkg \
//     target/wasm32-unknown-unknown/release/demo-ssr-app.wasm
//   SSR_PKG=dist-ssr/pkg node --test tools/e2e/ssr.test.mjs
// Env: SSR_PKG (required), CLERK_EMULATOR_BIN and DEMO_SSR_BIN (default target/debug/...),
// CHROMIUM (default /usr/bin/chromium).
//
// Each run starts its own emulator and demo-ssr on free ports. Cookies are made the way a
// browser that signed in has them (`__session`, `__client_uat`, `__clerk_db_jwt`), from a
// sign-in through the emulator's Frontend API.

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
const SSR_BIN = path.resolve(repoDir, process.env.DEMO_SSR_BIN || 'target/debug/demo-ssr');
const PKG = process.env.SSR_PKG ? path.resolve(repoDir, process.env.SSR_PKG) : '';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const API_VERSION = '__clerk_api_version=2026-05-12';
const UI_TIMEOUT = 30_000;

const USER1 = { email: 'demo@example.com', password: 'demo-password-123', name: 'Demo User' };
const EVIL = {
  email: 'evil@example.com', password: 'evil-password-789',
  first_name: '</script><script>window.__pwned=1</script>', last_name: 'Evil',
};

describe('server-side rendered demo', { concurrency: false }, () => {
  let emulator;
  let app;
  let context;

  async function control(method, pathname, body) {
    const res = await fetch(`${emulator}/__emulator${pathname}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} /__emulator${pathname} -> ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  async function fapi(method, pathname, query, form) {
    const res = await fetch(`${emulator}${pathname}?${API_VERSION}${query}`, {
      method,
      headers: { origin: app, 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${pathname} -> ${res.status} ${text}`);
    return JSON.parse(text);
  }

  /** Signs in through FAPI on a new dev browser; the cookies a signed-in browser has. */
  async function signedInCookies({ email, password }) {
    const dvb = (await fapi('POST', '/v1/dev_browser', '', '')).id;
    await fapi('POST', '/v1/client/sign_ins', `&__clerk_db_jwt=${dvb}`,
      new URLSearchParams({ identifier: email, password, strategy: 'password' }).toString());
    const client = await fapi('GET', '/v1/client', `&__clerk_db_jwt=${dvb}`);
    const session = client.response.sessions[0];
    const jwt = session.last_active_token.jwt;
    const iat = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()).iat;
    return {
      dvb, jwt, sessionId: session.id, userId: session.user.id,
      cookies: [
        { name: '__session', value: jwt },
        { name: '__client_uat', value: String(iat - 5) },
        { name: '__clerk_db_jwt', value: dvb },
      ],
    };
  }

  async function pageWith(cookies) {
    await context.clearCookies();
    await context.addCookies(cookies.map((c) => ({ ...c, domain: '127.0.0.1', path: '/' })));
    const page = await context.newPage();
    const messages = [];
    page.on('console', (m) => messages.push(m.text()));
    page.on('pageerror', (e) => messages.push(`[page error] ${e.message}`));
    // Records every element the document ever holds with a loading id, from before the
    // first byte of HTML is parsed until the test reads it.
    await page.addInitScript(() => {
      window.__loadingSeen = [];
      new MutationObserver((records) => {
        for (const r of records) for (const n of r.addedNodes) {
          if (n.nodeType !== 1) continue;
          const hit = n.id === 'clerk-loading' ? n : n.querySelector?.('#clerk-loading');
          if (hit) window.__loadingSeen.push(hit.outerHTML.slice(0, 80));
        }
      }).observe(document, { subtree: true, childList: true });
    });
    return { page, messages };
  }

  /** Raw first HTML of `/` for these cookies (no JavaScript). */
  async function firstHtml(cookies) {
    const res = await fetch(`${app}/`, {
      headers: {
        cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; '),
        accept: 'text/html', 'sec-fetch-dest': 'document',
      },
      redirect: 'manual',
    });
    return { status: res.status, html: await res.text(), location: res.headers.get('location') };
  }

  before(async () => {
    assert.ok(PKG && fs.existsSync(path.join(PKG, 'demo-ssr-app.js')),
      `SSR_PKG must point at the wasm-bindgen output of demo-ssr-app (got ${JSON.stringify(PKG)})`);
    const emuOut = await startServer('clerk-emulator', EMULATOR_BIN,
      ['--addr', '127.0.0.1:0'], /clerk-emulator ready on (\S+)/);
    emulator = /clerk-emulator ready on (\S+)/.exec(emuOut)[1];
    const key = /clerk-emulator publishable_key=(\S+)/.exec(emuOut)[1];
    const [, secret, bapi] = /clerk-emulator secret_key=(\S+) backend_api=(\S+)/.exec(emuOut);
    const port = await freePort();
    app = `http://127.0.0.1:${port}`;
    await startServer('demo-ssr', SSR_BIN, [], /demo-ssr listening on/, {
      CLERK_PUBLISHABLE_KEY: key, CLERK_PROXY_URL: emulator, CLERK_SECRET_KEY: secret, CLERK_API_URL: bapi,
      DEMO_SSR_ADDR: `127.0.0.1:${port}`, DEMO_SSR_PKG: PKG, DEMO_SSR_STYLE: path.join(repoDir, 'demo/style.css'),
    });
    await control('POST', '/users', EVIL);
    context = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'yew-clerk-ssr-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-quic'],
    });
  });

  after(async () => {
    await context?.close().catch(() => {});
    for (const c of children) c.kill('SIGTERM');
  });

  test('signed out: the first HTML is the signed-out page; hydration shows no loading element', async () => {
    // A development instance sends a browser without a dev browser through the handshake
    // first (Clerk's dev-browser-missing), so this goes through the browser.
    const { page, messages } = await pageWith([]);
    const res = await page.goto(`${app}/`);
    const html = await res.text();
    assert.match(html, /id="signed-out"/);
    assert.doesNotMatch(html, /id="clerk-loading"/);
    assert.match(html, /"signedIn":false/);
    await page.waitForLoadState('networkidle');
    assert.equal(await page.locator('#signed-out').count(), 1);
    assert.deepEqual(await page.evaluate(() => window.__loadingSeen), []);
    assert.deepEqual(messages.filter((m) => /mismatch|panicked|page error/i.test(m)), []);
    await page.close();
  });

  test('signed in: first HTML has the user id and name; hydration shows no loading element', async () => {
    const me = await signedInCookies(USER1);
    const { status, html } = await firstHtml(me.cookies);
    assert.equal(status, 200, html);
    assert.match(html, /id="signed-in"/);
    assert.ok(html.includes(me.userId), 'user id in the first HTML');
    assert.ok(html.includes(USER1.name), 'name in the first HTML');
    assert.doesNotMatch(html, /id="clerk-loading"/);

    const { page, messages } = await pageWith(me.cookies);
    await page.goto(`${app}/`);
    // The load applied: the session list (empty in the first-paint hint) has the session.
    await page.locator(`#sessions li[data-session-id="${me.sessionId}"]`).waitFor({ timeout: UI_TIMEOUT });
    assert.deepEqual(await page.evaluate(() => window.__loadingSeen), []);
    assert.equal(await page.locator('#signed-in').count(), 1);
    assert.deepEqual(messages.filter((m) => /mismatch|panicked|page error/i.test(m)), []);
    await page.close();
  });

  test('handshake: __client_uat without __session ends with signed-in HTML', async () => {
    const me = await signedInCookies(USER1);
    const cookies = me.cookies.filter((c) => c.name !== '__session');
    const first = await firstHtml(cookies);
    assert.equal(first.status, 307);
    assert.match(first.location, /\/v1\/client\/handshake\?redirect_url=/);
    const { page } = await pageWith(cookies);
    const res = await page.goto(`${app}/`);
    const html = await res.text();
    assert.match(html, /id="signed-in"/, 'the document after the handshake is signed in');
    assert.ok(html.includes(me.userId));
    assert.ok((await context.cookies(app)).some((c) => c.name === '__session' && c.value));
    await page.close();
  });

  test('a name containing </script> is escaped in the embedded state and rendered as text', async () => {
    const evil = await signedInCookies(EVIL);
    const { html } = await firstHtml(evil.cookies);
    const state = /<script type="application\/json" id="__clerk_initial_state">([^]*?)<\/script>/.exec(html);
    assert.ok(state, 'embedded state present');
    assert.ok(state[1].includes('\\u003c/script\\u003e'), state[1]);
    assert.equal(JSON.parse(state[1]).user.firstName, EVIL.first_name);
    const { page } = await pageWith(evil.cookies);
    await page.goto(`${app}/`);
    await page.locator(`#sessions li[data-session-id="${evil.sessionId}"]`).waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.ok((await page.locator('#user-name').innerText()).includes('</script>'));
    await page.close();
  });

  test('a session revoked since the server rendered is corrected on the client', async () => {
    const me = await signedInCookies(USER1);
    await control('POST', `/sessions/${me.sessionId}/revoke`);
    // The token is still valid for the server (networkless verification), so the first HTML
    // is signed in; the client's load from FAPI signs out.
    const { html } = await firstHtml(me.cookies);
    assert.match(html, /id="signed-in"/);
    const { page } = await pageWith(me.cookies);
    await page.goto(`${app}/`);
    await page.locator('#signed-out').waitFor({ timeout: UI_TIMEOUT });
    assert.deepEqual(await page.evaluate(() => window.__loadingSeen), []);
    await page.close();
  });
});
