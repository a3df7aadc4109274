#!/usr/bin/env node
// Soak test (not in CI): the demo app in two tabs of one headless Chromium profile, signed in,
// with 5 s session tokens, for 10 minutes. Every few seconds each tab calls get_token() and the
// demo API (the "Call the API" button), which verifies the token it was handed. At the end it
// prints what it saw and exits non-zero when anything went wrong:
//   - no tab ever showed an error state (#clerk-failed, #api-error, a page error);
//   - every get_token() result was valid when the API read it (HTTP 200 with the same user);
//   - request counts: /tokens requests per minute against the expected rate (one refresh per
//     token lifetime for the whole browser, not per tab, plus the get_token calls that found the
//     cached token too close to expiry), and no stray /v1/client reloads;
//   - the JS heap of each tab after a forced GC, sampled each minute: printed, and flagged when
//     the last sample is more than 25% (and 1 MB) above the minute-1 sample (the first one,
//     taken before any call, is a warm-up).
//
//   scripts/soak                       # builds the demo with trunk and the binaries, 10 minutes
//   node tools/soak/soak.mjs --minutes 2 --token-lifetime 5 --call-every 3
// Env: E2E_DIST (a trunk build of the demo, required), CLERK_EMULATOR_BIN, DEMO_API_BIN,
// CHROMIUM (as for tools/e2e).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { children, freePort, startServer } from '../lib/servers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoDir = path.resolve(here, '../..');

function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
}
const MINUTES = flag('minutes', 10);
const TOKEN_LIFETIME = flag('token-lifetime', 5);
const CALL_EVERY_S = flag('call-every', 3);
const EMULATOR_BIN = path.resolve(repoDir, process.env.CLERK_EMULATOR_BIN || 'target/debug/clerk-emulator');
const API_BIN = path.resolve(repoDir, process.env.DEMO_API_BIN || 'target/debug/demo-api');
const DIST = process.env.E2E_DIST ? path.resolve(repoDir, process.env.E2E_DIST) : '';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const USER = { email: 'demo@example.com', password: 'demo-password-123' };

const problems = [];
const problem = (msg) => {
  problems.push(msg);
  console.log(`PROBLEM ${msg}`);
};

async function requestLog(emulator) {
  const res = await fetch(`${emulator}/__emulator/requests`);
  return res.json();
}

async function heapAfterGc(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

/** One round in one tab: click "Call the API", wait for the answer, check it. */
async function callOnce(page, tab, userId, stats) {
  await page.locator('#call-api:not([disabled])').waitFor({ timeout: 15_000 });
  const before = await page.locator('#api-answer, #api-error').evaluateAll((els) => els.map((e) => e.outerHTML).join(''));
  await page.locator('#call-api').click();
  await page.waitForFunction((prev) => {
    const el = document.querySelector('#api-answer, #api-error');
    const busy = document.querySelector('#call-api')?.disabled;
    return el && !busy && el.outerHTML !== prev;
  }, before, { timeout: 15_000 }).catch(() => {});
  stats.calls += 1;
  if (await page.locator('#api-error').count()) {
    problem(`tab ${tab}: get_token failed: ${await page.locator('#api-error').innerText()}`);
    return;
  }
  const status = await page.locator('#api-answer').getAttribute('data-status');
  const body = await page.locator('#api-body').innerText().catch(() => '');
  if (status !== '200') {
    problem(`tab ${tab}: the API rejected the token (HTTP ${status}): ${body}`);
    return;
  }
  const parsed = JSON.parse(body);
  if (parsed.user_id !== userId) problem(`tab ${tab}: the API saw ${parsed.user_id}, not ${userId}`);
  stats.ok += 1;
}

async function main() {
  if (!DIST || !fs.existsSync(path.join(DIST, 'index.html'))) {
    throw new Error('E2E_DIST must point at a trunk build of the demo (scripts/soak builds it)');
  }
  const emuOut = await startServer('clerk-emulator', EMULATOR_BIN,
    ['--addr', '127.0.0.1:0', '--token-lifetime', String(TOKEN_LIFETIME)], /clerk-emulator ready on (\S+)/);
  const emulator = /clerk-emulator ready on (\S+)/.exec(emuOut)[1].replace(/\/$/, '');
  const key = /clerk-emulator publishable_key=(\S+)/.exec(emuOut)[1];
  const port = await freePort();
  const app = `http://127.0.0.1:${port}`;
  await startServer('demo-api', API_BIN, [
    '--addr', `127.0.0.1:${port}`, '--publishable-key', key, '--proxy-url', emulator,
    '--authorized-parties', app, '--static-dir', DIST,
  ], /demo-api listening on/);

  const context = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'yew-clerk-soak-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-background-timer-throttling', '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows', '--no-first-run', '--disable-quic'],
  });
  try {
    const first = context.pages()[0] ?? await context.newPage();
    await first.goto(app);
    await first.locator('#headless-email').waitFor({ timeout: 30_000 });
    await first.locator('#headless-email').fill(USER.email);
    await first.locator('#headless-password').fill(USER.password);
    await first.locator('#headless-submit').click();
    await first.locator('#signed-in').waitFor({ timeout: 30_000 });
    const userId = (await first.locator('#auth-user-id').innerText()).trim();
    const second = await context.newPage();
    await second.goto(app);
    await second.locator('#signed-in').waitFor({ timeout: 30_000 });
    const tabs = [first, second];
    tabs.forEach((p, i) => {
      p.on('pageerror', (e) => problem(`tab ${i + 1}: page error: ${e.message}`));
      p.on('console', (m) => { if (m.type() === 'error') problem(`tab ${i + 1}: console error: ${m.text()}`); });
    });

    await fetch(`${emulator}/__emulator/requests`, { method: 'DELETE' });
    const heaps = [[], []];
    for (const [i, p] of tabs.entries()) heaps[i].push(await heapAfterGc(p));
    const stats = tabs.map(() => ({ calls: 0, ok: 0 }));
    const t0 = Date.now();
    const end = t0 + MINUTES * 60_000;
    let nextHeap = t0 + 60_000;
    console.log(`soak: ${MINUTES} min, ${TOKEN_LIFETIME} s tokens, a call every ${CALL_EVERY_S} s per tab, user ${userId}`);
    while (Date.now() < end) {
      const round = Date.now();
      await Promise.all(tabs.map((p, i) => callOnce(p, i + 1, userId, stats[i]).catch((e) => problem(`tab ${i + 1}: ${e.message}`))));
      for (const [i, p] of tabs.entries()) {
        for (const sel of ['#clerk-failed', '#clerk-loading', '#signed-out']) {
          if (await p.locator(sel).count()) problem(`tab ${i + 1}: ${sel} is shown`);
        }
      }
      if (Date.now() >= nextHeap) {
        for (const [i, p] of tabs.entries()) heaps[i].push(await heapAfterGc(p));
        const minute = Math.round((Date.now() - t0) / 60_000);
        console.log(`  minute ${minute}: calls ${stats.map((s) => `${s.ok}/${s.calls}`).join(' + ')}, heap ${heaps.map((h) => `${(h.at(-1) / 1e6).toFixed(2)} MB`).join(' / ')}`);
        nextHeap += 60_000;
      }
      const wait = CALL_EVERY_S * 1000 - (Date.now() - round);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const seconds = (Date.now() - t0) / 1000;
    for (const [i, p] of tabs.entries()) heaps[i].push(await heapAfterGc(p));

    const log = await requestLog(emulator);
    const count = (re) => log.filter((e) => re.test(`${e.method} ${e.path}`)).length;
    const tokens = count(/^POST \/v1\/client\/sessions\/[^/]+\/tokens$/);
    const clientReads = count(/^GET \/v1\/client$/);
    const touches = count(/\/touch$/);
    // One refresh per token life for the whole browser (the tabs share tokens), plus at most one
    // fetch per get_token call that found the token within the 5 s never-return window.
    const refreshes = seconds / TOKEN_LIFETIME;
    const calls = stats.reduce((a, s) => a + s.calls, 0);
    const maxTokens = Math.ceil(refreshes * 1.5 + calls);
    console.log('\n| figure | value |\n|---|---:|');
    console.log(`| duration | ${seconds.toFixed(0)} s |`);
    console.log(`| get_token → API calls (ok/total) | ${stats.map((s) => `${s.ok}/${s.calls}`).join(' + ')} |`);
    console.log(`| POST …/tokens | ${tokens} (${(tokens / (seconds / 60)).toFixed(1)}/min; one per token life would be ${(60 / TOKEN_LIFETIME).toFixed(1)}/min) |`);
    console.log(`| GET /v1/client | ${clientReads} |`);
    console.log(`| touches | ${touches} |`);
    console.log(`| JS heap after GC, tab 1 (MB) | ${heaps[0].map((h) => (h / 1e6).toFixed(2)).join(' → ')} |`);
    console.log(`| JS heap after GC, tab 2 (MB) | ${heaps[1].map((h) => (h / 1e6).toFixed(2)).join(' → ')} |`);
    if (tokens > maxTokens) problem(`${tokens} /tokens requests, more than the ${maxTokens} expected`);
    if (clientReads > 2) problem(`${clientReads} GET /v1/client during the soak (expected none after load)`);
    // The first sample is taken right after sign-in, before either tab made a call (code not
    // yet compiled, caches empty): growth is judged from the minute-1 sample on.
    for (const [i, h] of heaps.entries()) {
      const base = h[Math.min(1, h.length - 1)];
      const grew = h.at(-1) - base;
      if (grew > 1e6 && grew > 0.25 * base) problem(`tab ${i + 1}: JS heap grew ${(grew / 1e6).toFixed(2)} MB after the first minute`);
    }
    if (stats.some((s) => s.calls === 0)) problem('a tab made no calls');
  } finally {
    await context.close().catch(() => {});
    for (const c of children) c.kill('SIGTERM');
  }
  console.log(problems.length ? `\nsoak: ${problems.length} problem(s)` : '\nsoak: no problems');
  process.exit(problems.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  for (const c of children) c.kill('SIGTERM');
  process.exit(2);
});
