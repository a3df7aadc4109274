// What the conformance files share: where the emulator binary and Chromium are, the seeded
// user, the instance types to run, starting and stopping the emulator, a loaded clerk-js
// page, running code in it, the control API, and TOTP codes. Not a test file (node --test
// runs only `*.test.mjs` here).

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startEmulator } from '../lib/emulator.mjs';
import { startPageServer, CHROMIUM_ARGS } from '../lib/clerk-page.mjs';

const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The emulator binary (`CLERK_EMULATOR_BIN`, relative to the repo root). */
export const BIN = path.resolve(repoDir, process.env.CLERK_EMULATOR_BIN || 'target/debug/clerk-emulator');
/** Chromium (`CHROMIUM`). */
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/** The emulator's seeded demo user. */
export const EMAIL = 'demo@example.com';
export const PASSWORD = 'demo-password-123';
/** Instance types to run every suite against (`CONFORMANCE_INSTANCES`). */
export const INSTANCES = (process.env.CONFORMANCE_INSTANCES || 'development,production').split(',');

// RFC 6238's test key, and the same bytes in base32 for the emulator.
const TOTP_KEY = Buffer.from('12345678901234567890');
export const TOTP_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) of TOTP_SECRET at `unixSecs`. */
export function totp(unixSecs = Math.floor(Date.now() / 1000)) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSecs / 30)));
  const h = crypto.createHmac('sha1', TOTP_KEY).update(counter).digest();
  const off = h[h.length - 1] & 0x0f;
  const bin = ((h[off] & 0x7f) << 24) | (h[off + 1] << 16) | (h[off + 2] << 8) | h[off + 3];
  return String(bin % 1_000_000).padStart(6, '0');
}

/** A six-digit code that is not `code`. */
export const wrong = (code) => (code === '000000' ? '111111' : '000000');

/** Starts the emulator binary (`instance` type) and the clerk-js page server for it. */
export async function startSuite(instance) {
  assert.ok(fs.existsSync(BIN), `emulator binary ${BIN} exists (cargo build -p clerk-emulator)`);
  const emu = await startEmulator(BIN, instance);
  const pageServer = await startPageServer(emu.url, emu.publishableKey);
  return { emu, pageServer };
}

/** Headless Chromium with the quiet flags. */
export const launchChromium = () => chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });

/**
 * Stops the emulator (it exits cleanly on SIGTERM). Polls instead of awaiting the 'exit'
 * event: a pending timer keeps node's event loop alive, which the bare event did not after
 * Playwright shut down.
 */
export async function stopEmulator(emu) {
  if (!emu) return;
  emu.child.kill('SIGTERM');
  for (let i = 0; i < 100 && emu.child.exitCode === null && emu.child.signalCode === null; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits for clerk.browser.js on `page` and runs `Clerk.load()`. */
export async function loadClerk(page) {
  await page.waitForFunction(() => window.Clerk !== undefined, null, { timeout: 20_000 });
  await page.evaluate(() => window.Clerk.load());
}

/** A new browser context's page on the clerk-js page, loaded. */
export async function openClerkPage(browser, pageServer) {
  const page = await (await browser.newContext()).newPage();
  await page.goto(pageServer.url);
  await loadClerk(page);
  return page;
}

/**
 * `run(fn, args)` for `page` (or a function returning the current page): runs `fn(args)` in
 * the page; a thrown Clerk error comes back as `{error: {code, status, message}}`.
 */
export const runner = (page) => (fn, args = {}) => (typeof page === 'function' ? page() : page).evaluate(
  async ({ src, args }) => {
    try {
      // eslint-disable-next-line no-new-func
      return await new Function('args', `return (${src})(args)`)(args);
    } catch (e) {
      return { error: { code: e.errors?.[0]?.code ?? null, status: e.status ?? null, message: String(e.message) } };
    }
  },
  { src: fn.toString(), args },
);

/** A control API call (`/__emulator{p}`, JSON): `{status, body}` (body `null` if not JSON). */
export async function controlCall(emu, method, p, body, headers = {}) {
  const r = await fetch(`${emu.url}/__emulator${p}`, {
    method,
    headers: body ? { 'content-type': 'application/json', ...headers } : headers,
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, ok: r.ok, body: json, text };
}

/** A control API call that must succeed: its JSON body. */
export async function control(emu, method, p, body) {
  const r = await controlCall(emu, method, p, body);
  assert.ok(r.ok, `control ${method} ${p} -> ${r.status} ${r.text}`);
  assert.ok(r.body !== null || r.text.trim() === 'null', `control ${method} ${p} answers JSON: ${r.text}`);
  return r.body;
}

/**
 * What most suites start with: the emulator and its page server, Chromium, a loaded clerk-js
 * page and the demo user's id.
 */
export async function startWithPage(instance) {
  const { emu, pageServer } = await startSuite(instance);
  const browser = await launchChromium();
  const page = await openClerkPage(browser, pageServer);
  return { emu, pageServer, browser, page, userId: await demoUserId(emu) };
}

/** Closes what `startSuite` / `startWithPage` opened (any part may be missing). */
export async function stopSuite({ emu, pageServer, browser }) {
  await browser?.close();
  pageServer?.server.close();
  await stopEmulator(emu);
}

/** The demo user's id (control API). */
export async function demoUserId(emu) {
  const users = await control(emu, 'GET', '/users');
  return users.find((u) => u.email_addresses[0].email_address === EMAIL).id;
}
