#!/usr/bin/env node
// Load-time benchmark: navigation → "Clerk loaded" for clerk-js vs yew-clerk, side by side in
// one run, with the same artificial latency on every request.
//
//   node tools/bench/load-time.mjs                 # build the release wasm, 15 runs each
//   node tools/bench/load-time.mjs --prebuilt      # reuse target/bench/out (no cargo build)
//   node tools/bench/load-time.mjs --runs 30 --latency 150 --scenarios signed-in,signed-out
//   node tools/bench/load-time.mjs --names --profile /tmp/prof --runs 3   # CPU profiles
//
// Flags: --runs N (15), --latency MS (150), --prebuilt, --scenarios LIST (signed-in,signed-out;
// also first-visit), --variants LIST (clerk-js,yew,yew-prefetch,floor), -v/--verbose (every run),
// --profile DIR (write a DevTools .cpuprofile per measured load; sampling slows the loads),
// --names (keep wasm function names: wasm-bindgen --keep-debug, wasm-opt -g; separate output
// dir target/bench/out-names; bigger wasm, so not for the figures).
//
// Variants (each measured in the same run, interleaved run by run):
//   clerk-js      @clerk/clerk-js (tools/node_modules, dist/clerk.browser.js) with proxyUrl →
//                 emulator; loaded = `await Clerk.load()` resolved.
//   yew           the release wasm of tools/bench/app (ClerkProvider + a marker), no snippet.
//   yew-prefetch  the same wasm, index.html with src/browser/prefetch.js inlined in <head>.
//   floor         no app at all: the same snippet, and loaded = both of its responses in and
//                 the client JSON parsed. No client on this page and network can be faster, so
//                 its ratio is the lower bound of any yew-prefetch ratio measured here.
// yew loaded = the first render with `use_auth().is_loaded` (its effect records the time).
// Times are `performance.now()` at that moment (navigation start = 0), read with
// page.evaluate.
//
// Network model: every request takes LATENCY ms more. The static files (HTML, JS, wasm) come
// from a node server here (worker thread) that waits LATENCY ms before answering (gzip -9 when
// accepted, from memory); the Frontend API is clerk-emulator with a latency fault
// `{path:"/v1/*", kind:"latency", latency_ms: LATENCY}`. Localhost bandwidth, no CPU
// throttling. No variant sends CORS preflights (the emulator would not delay them).
//
// Scenarios (development instance, i.e. the dev-browser path of pk_test_ keys):
//   signed-in   returning signed-in user: a setup context loads the page once (dev browser
//               created), signs in through FAPI in the page (POST /v1/client/sign_ins), reloads
//               and checks it is signed in; its cookies + localStorage are the starting state
//               of every measured run.
//   signed-out  returning signed-out visitor: the same without the sign-in.
//   first-visit no cookies at all (the snippet cannot help: no dev browser yet). Optional.
// Every measured run is a COLD load: a new browser context (empty HTTP cache, no compiled
// wasm cache, new connections) seeded with the scenario's cookies/localStorage.
//
// Env: CLERK_EMULATOR_BIN (default target/debug/clerk-emulator; built if missing),
//      CHROMIUM (default /usr/bin/chromium).

import { execFileSync } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, workerData, parentPort } from 'node:worker_threads';
import { chromium } from 'playwright-core';
import { startEmulator } from '../lib/emulator.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const toolsDir = path.resolve(here, '..');
const repoDir = path.resolve(toolsDir, '..');

// ---------------------------------------------------------------- options
function parseArgs(argv) {
  const o = {
    runs: 15,
    latency: 150,
    prebuilt: false,
    scenarios: ['signed-in', 'signed-out'],
    variants: ['clerk-js', 'yew', 'yew-prefetch', 'floor'],
    verbose: false,
    profile: null,
    names: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--runs') o.runs = Number(val());
    else if (a === '--latency') o.latency = Number(val());
    else if (a === '--prebuilt') o.prebuilt = true;
    else if (a === '--scenarios') o.scenarios = val().split(',');
    else if (a === '--variants') o.variants = val().split(',');
    else if (a === '--verbose' || a === '-v') o.verbose = true;
    else if (a === '--profile') o.profile = path.resolve(val());
    else if (a === '--names') o.names = true;
    else if (a === '--help' || a === '-h') {
      console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 42)
        .map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (see --help)`);
  }
  if (!(o.runs >= 1)) throw new Error('--runs must be >= 1');
  for (const s of o.scenarios) {
    if (!['signed-in', 'signed-out', 'first-visit'].includes(s)) throw new Error(`unknown scenario ${s}`);
  }
  for (const v of o.variants) {
    if (!['clerk-js', 'yew', 'yew-prefetch', 'floor'].includes(v)) throw new Error(`unknown variant ${v}`);
  }
  return o;
}
// The static server runs in a worker thread (same file): Playwright's event traffic on the main
// thread must not delay its responses.
const opts = isMainThread ? parseArgs(process.argv.slice(2)) : workerData.opts;

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const EMULATOR_BIN = path.resolve(repoDir, process.env.CLERK_EMULATOR_BIN || 'target/debug/clerk-emulator');
const CLERK_DIST = path.join(toolsDir, 'node_modules/@clerk/clerk-js/dist');
const CLERK_VERSION = JSON.parse(
  fs.readFileSync(path.join(toolsDir, 'node_modules/@clerk/clerk-js/package.json'), 'utf8'),
).version;
const APP_DIR = path.join(here, 'app');
const TARGET_DIR = path.join(repoDir, 'target/bench');
const OUT_DIR = path.join(TARGET_DIR, opts.names ? 'out-names' : 'out');
const PREFETCH_JS = path.join(repoDir, 'src/browser/prefetch.js');
const PREFETCH_PLACEHOLDER = "('https://clerk.example.com', false)";
const EMAIL = 'demo@example.com';
const PASSWORD = 'demo-password-123';

const log = (...a) => console.error('==>', ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- build
function run(cmd, args, env = {}) {
  log(`${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { cwd: repoDir, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
}

function buildApp() {
  const binDir = path.join(toolsDir, 'node_modules/.bin');
  const env = { PATH: `${binDir}:${os.homedir()}/.cargo/bin:${process.env.PATH}` };
  // Resolve the same versions as the library (wasm-bindgen is pinned to the installed CLI).
  fs.copyFileSync(path.join(repoDir, 'Cargo.lock'), path.join(APP_DIR, 'Cargo.lock'));
  run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown',
    '--manifest-path', path.join(APP_DIR, 'Cargo.toml'), '--target-dir', TARGET_DIR], env);
  fs.rmSync(OUT_DIR, { recursive: true, force: true });
  run('wasm-bindgen', ['--target', 'web', '--no-typescript', ...(opts.names ? ['--keep-debug'] : []),
    '--out-dir', OUT_DIR, '--out-name', 'app',
    path.join(TARGET_DIR, 'wasm32-unknown-unknown/release/bench-load-time.wasm')], env);
  run('wasm-opt', ['-Oz', ...(opts.names ? ['-g'] : []), path.join(OUT_DIR, 'app_bg.wasm'),
    '-o', path.join(OUT_DIR, 'app_bg.wasm')], env);
}

// ---------------------------------------------------------------- emulator
function ensureEmulator() {
  if (fs.existsSync(EMULATOR_BIN)) return;
  if (process.env.CLERK_EMULATOR_BIN) throw new Error(`${EMULATOR_BIN} does not exist`);
  run('cargo', ['build', '-p', 'clerk-emulator']);
}

async function control(emu, method, p, body) {
  const r = await fetch(`${emu.url}/__emulator${p}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!r.ok) throw new Error(`control ${method} ${p} -> ${r.status}`);
  return r.json();
}

async function stopEmulator(emu) {
  emu.child.kill('SIGTERM');
  for (let i = 0; i < 100 && emu.child.exitCode === null && emu.child.signalCode === null; i++) await sleep(50);
}

// ---------------------------------------------------------------- pages + static server
function pages(emu) {
  const pk = emu.publishableKey;
  const proxy = emu.url;
  const snippet = fs.readFileSync(PREFETCH_JS, 'utf8');
  if (!snippet.includes(PREFETCH_PLACEHOLDER)) throw new Error(`${PREFETCH_JS}: placeholder ${PREFETCH_PLACEHOLDER} not found`);
  const configured = snippet.replace(PREFETCH_PLACEHOLDER, `(${JSON.stringify(proxy)}, true)`);
  // clerk-js as its docs show (script tag with data attributes), load() called as soon as the
  // script has run.
  const clerkJs = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>clerk-js ${CLERK_VERSION}</title>
<script src="/clerk-js/clerk.browser.js" data-clerk-publishable-key="${pk}" data-clerk-proxy-url="${proxy}" crossorigin="anonymous"></script>
<script>window.Clerk.load().then(function () { window.__loaded = { t: performance.now(), signedIn: !!window.Clerk.user }; },
  function (e) { window.__loadError = String(e && e.message || e); });</script>
</head><body></body></html>`;
  // The yew app as trunk would emit it: module preload + wasm preload, then init.
  // Instrumentation (not part of what an app would ship): when the snippet's response bodies
  // were all in, and what the app's first render showed (the marker is #loading or #loaded).
  const bodiesAt = `<script>(function () { var p = window.__clerk_prefetch; if (!p) return;
  Promise.all(Object.keys(p).map(function (k) { return p[k].promise; })).then(function () { window.__bodiesAt = performance.now(); }, function () {}); })();</script>`;
  const firstView = `<script>new MutationObserver(function (_, o) { var d = document.getElementById('loaded'), l = document.getElementById('loading');
  if (d || l) { window.__firstView = { t: performance.now(), loaded: !!d }; o.disconnect(); } }).observe(document.documentElement, { childList: true, subtree: true });</script>`;
  const yew = (withSnippet) => `<!DOCTYPE html><html><head><meta charset="utf-8"><title>yew-clerk${withSnippet ? ' + prefetch' : ''}</title>
${withSnippet ? `${configured.trim()}\n${bodiesAt}` : ''}
${firstView}
<script>window.__BENCH = { publishableKey: ${JSON.stringify(pk)}, proxyUrl: ${JSON.stringify(proxy)} };</script>
<link rel="modulepreload" href="/app/app.js">
<link rel="preload" href="/app/app_bg.wasm" as="fetch" type="application/wasm" crossorigin>
<script type="module">import init from '/app/app.js'; window.__initAt = performance.now(); init({ module_or_path: '/app/app_bg.wasm' });</script>
</head><body></body></html>`;
  // The lower bound: the snippet alone, "loaded" when both responses are in and the client is
  // parsed (no app code competes for the main thread or the network).
  const floor = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>floor: snippet only</title>
${configured.trim()}
<script>(function () { var p = window.__clerk_prefetch; if (!p) { window.__loadError = 'no dev browser cookie'; return; }
  Promise.all([p['/v1/client'].promise, p['/v1/environment'].promise]).then(function (r) {
    var c = JSON.parse(r[0].text); JSON.parse(r[1].text);
    window.__loaded = { t: performance.now(), signedIn: !!(c.response && c.response.last_active_session_id) };
  }, function (e) { window.__loadError = String(e && e.message || e); }); })();</script>
</head><body></body></html>`;
  return {
    '/clerk-js/index.html': clerkJs,
    '/yew/index.html': yew(false),
    '/yew-prefetch/index.html': yew(true),
    '/floor/index.html': floor,
  };
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm' };

/** Starts the static server in a worker thread; resolves to `{ url, close }`. */
function startStaticServer(pageMap, latency) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { opts, pageMap, latency } });
    worker.once('error', reject);
    worker.once('message', (url) => resolve({ url, close: () => worker.terminate() }));
  });
}

/** The static server itself (worker thread): every response waits `latency` ms. */
function serveStatic(pageMap, latency) {
  const cache = new Map(); // path -> {raw, gz, type}
  const entry = (p, body) => {
    let e = cache.get(p);
    if (!e) {
      const raw = Buffer.isBuffer(body) ? body : Buffer.from(body);
      e = { raw, gz: zlib.gzipSync(raw, { level: 9 }), type: TYPES[path.extname(p)] || 'application/octet-stream' };
      cache.set(p, e);
    }
    return e;
  };
  const resolveFile = (pathname) => {
    if (pageMap[pathname]) return entry(pathname, pageMap[pathname]);
    let file = null;
    if (pathname.startsWith('/clerk-js/')) file = path.join(CLERK_DIST, path.basename(pathname));
    else if (pathname.startsWith('/app/')) file = path.join(OUT_DIR, path.basename(pathname));
    if (file && fs.existsSync(file)) return entry(pathname, fs.readFileSync(file));
    return null;
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const e = resolveFile(url.pathname);
    setTimeout(() => {
      if (!e) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
        return;
      }
      const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] || '');
      const body = gzip ? e.gz : e.raw;
      res.writeHead(200, {
        'content-type': e.type,
        'content-length': body.length,
        'cache-control': 'no-cache',
        ...(gzip ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {}),
      });
      res.end(body);
    }, latency);
  });
  server.listen(0, '127.0.0.1', () => parentPort.postMessage(`http://127.0.0.1:${server.address().port}`));
}

// ---------------------------------------------------------------- browser
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

async function waitLoaded(page, timeout = 30_000) {
  await page.waitForFunction(() => window.__loaded || window.__loadError, null, { timeout, polling: 20 });
  const r = await page.evaluate(() => ({ loaded: window.__loaded || null, error: window.__loadError || null,
    timeOrigin: performance.timeOrigin, initAt: window.__initAt ?? null, mainAt: window.__mainAt ?? null,
    bodiesAt: window.__bodiesAt ?? null, firstView: window.__firstView ?? null }));
  if (r.error) throw new Error(`load failed: ${r.error}`);
  return r;
}

/** Signs the demo user in through FAPI from the page (dev browser id from its cookie). */
async function signInInPage(page, proxy, apiVersion) {
  return page.evaluate(async ({ proxy, apiVersion, email, password }) => {
    const m = document.cookie.match(/(?:^|; )__clerk_db_jwt(?:_[^=]*)?=([^;]*)/);
    if (!m) throw new Error(`no dev browser cookie: ${document.cookie}`);
    const q = `?__clerk_api_version=${apiVersion}&__clerk_db_jwt=${m[1]}`;
    const r = await fetch(`${proxy}/v1/client/sign_ins${q}`, {
      method: 'POST', credentials: 'include',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ identifier: email, password, strategy: 'password' }).toString(),
    });
    const j = await r.json();
    return { status: r.status, signIn: j.response?.status, session: j.response?.created_session_id };
  }, { proxy, apiVersion, email: EMAIL, password: PASSWORD });
}

/** The starting state (cookies + localStorage) of a scenario for one variant. */
async function prepareState(browser, emu, base, variant, scenario, apiVersion) {
  if (scenario === 'first-visit') return undefined;
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    // The floor page cannot create a dev browser: its state is prepared by the yew app (same
    // origin, so the same cookies).
    const url = `${base}/${variant === 'floor' ? 'yew-prefetch' : variant}/index.html`;
    await page.goto(url);
    let r = await waitLoaded(page);
    if (scenario === 'signed-in') {
      const s = await signInInPage(page, emu.url, apiVersion);
      if (s.status !== 200 || s.signIn !== 'complete') throw new Error(`${variant}: sign-in failed ${JSON.stringify(s)}`);
      await page.reload();
      r = await waitLoaded(page);
      // Let post-load work (cookies, touch) settle before taking the state.
      await sleep(500);
    }
    const want = scenario === 'signed-in';
    if (r.loaded.signedIn !== want) throw new Error(`${variant}/${scenario}: setup load has signedIn=${r.loaded.signedIn}`);
    return await ctx.storageState();
  } finally {
    await ctx.close();
  }
}

/** One cold measured load. */
async function measure(browser, emu, base, variant, state, label = null) {
  const ctx = await browser.newContext(state ? { storageState: state } : {});
  try {
    const page = await ctx.newPage();
    const requests = [];
    page.on('requestfinished', (r) => requests.push(r));
    await control(emu, 'DELETE', '/requests');
    const cdp = opts.profile && label ? await ctx.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await page.goto(`${base}/${variant}/index.html`, { waitUntil: 'commit' });
    const r = await waitLoaded(page);
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      fs.mkdirSync(opts.profile, { recursive: true });
      fs.writeFileSync(path.join(opts.profile, `${label}.cpuprofile`), JSON.stringify(profile));
    }
    // Let requests started right at load finish (they are listed, not counted as before-load).
    await sleep(opts.latency + 100);
    const fapiLog = await control(emu, 'GET', '/requests');
    const resources = [];
    for (const req of requests) {
      const timing = req.timing();
      let sizes = { responseBodySize: 0 };
      try { sizes = await req.sizes(); } catch { /* gone with a closed page */ }
      resources.push({
        url: req.url(),
        method: req.method(),
        start: timing.startTime - r.timeOrigin,
        end: timing.responseEnd >= 0 ? timing.startTime - r.timeOrigin + timing.responseEnd : null,
        bodyBytes: sizes.responseBodySize,
      });
    }
    // (A late request of the previous run's page could land in the log: keep this load's.)
    const fapi = fapiLog.map((e) => ({ method: e.method, wire: e.wire_method, path: e.path, status: e.status,
      at: e.at_ms - r.timeOrigin })).filter((e) => e.at >= 0);
    return { t: r.loaded.t, signedIn: r.loaded.signedIn, initAt: r.initAt, mainAt: r.mainAt, bodiesAt: r.bodiesAt,
      firstView: r.firstView, resources, fapi };
  } finally {
    await ctx.close();
  }
}

// ---------------------------------------------------------------- stats + report
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

function waterfall(run, base) {
  const lines = [];
  const rows = [
    ...run.resources.filter((x) => /^https?:/.test(x.url)).map((x) => ({
      start: x.start, end: x.end, bytes: x.bodyBytes,
      what: `${x.url.startsWith(base) ? 'static' : 'FAPI  '} ${x.method} ${new URL(x.url).pathname}` })),
    ...run.fapi.map((e) => ({ start: e.at, end: null,
      what: `emulator got ${e.method}${e.method !== e.wire ? `(${e.wire})` : ''} ${e.path} → ${e.status}` })),
    ...(run.initAt != null ? [{ start: run.initAt, end: null, what: 'app.js ran: init() called' }] : []),
    ...(run.mainAt != null ? [{ start: run.mainAt, end: null, what: 'wasm main() started (compiled, instantiated)' }] : []),
    ...(run.bodiesAt != null ? [{ start: run.bodiesAt, end: null, what: 'snippet: both response bodies in' }] : []),
    ...(run.firstView ? [{ start: run.firstView.t, end: null, what: `first render in the DOM: ${run.firstView.loaded ? 'loaded' : 'loading'}` }] : []),
  ].sort((a, b) => a.start - b.start);
  for (const x of rows) {
    const mark = x.start > run.t ? '  (after loaded)' : '';
    lines.push(`      ${lpad(x.start.toFixed(0), 5)} ms ${x.end != null ? `→ ${lpad(x.end.toFixed(0), 5)} ms` : '          '}  ${x.what}${x.bytes ? ` ${x.bytes} B` : ''}${mark}`);
  }
  lines.push(`      ${lpad(run.t.toFixed(0), 5)} ms  LOADED (signedIn=${run.signedIn})`);
  return lines.join('\n');
}

// ---------------------------------------------------------------- main
async function main() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found`);
  if (opts.variants.some((v) => v !== 'clerk-js')) {
    if (!opts.prebuilt) buildApp();
    for (const f of ['app.js', 'app_bg.wasm']) {
      if (!fs.existsSync(path.join(OUT_DIR, f))) throw new Error(`${path.join(OUT_DIR, f)} missing (run without --prebuilt)`);
    }
  }
  ensureEmulator();
  const apiVersion = /__clerk_api_version=([0-9-]+)/.exec(fs.readFileSync(PREFETCH_JS, 'utf8'))?.[1] || '2026-05-12';

  const emu = await startEmulator(EMULATOR_BIN);
  const site = await startStaticServer(pages(emu), opts.latency);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
  const load0 = os.loadavg()[0];
  const chromiumVersion = browser.version();
  const results = {}; // scenario -> variant -> [run]
  try {
    for (const scenario of opts.scenarios) {
      results[scenario] = {};
      // Setup without latency (fast); every measured load with it.
      await control(emu, 'DELETE', '/faults');
      const states = {};
      for (const v of opts.variants) {
        log(`${scenario}: preparing ${v}`);
        states[v] = await prepareState(browser, emu, site.url, v, scenario, apiVersion);
        results[scenario][v] = [];
      }
      await control(emu, 'POST', '/faults', { path: '/v1/*', kind: 'latency', latency_ms: opts.latency });
      // One unmeasured warm-up load per variant, then interleaved runs (a, b, c, a, b, c, …)
      // so machine noise spreads over all variants.
      for (const v of opts.variants) await measure(browser, emu, site.url, v, states[v]);
      for (let i = 0; i < opts.runs; i++) {
        for (const v of opts.variants) {
          const m = await measure(browser, emu, site.url, v, states[v], `${scenario}-${v}-${i + 1}`);
          results[scenario][v].push(m);
          if (opts.verbose) log(`${scenario} ${v} #${i + 1}: ${m.t.toFixed(0)} ms`);
        }
        log(`${scenario}: run ${i + 1}/${opts.runs} done`);
      }
    }
  } finally {
    await browser.close().catch(() => {});
    await site.close();
    await stopEmulator(emu);
  }

  // Report.
  const wasmGz = (f) => fs.existsSync(path.join(OUT_DIR, f)) ? zlib.gzipSync(fs.readFileSync(path.join(OUT_DIR, f)), { level: 9 }).length : 0;
  console.log('');
  console.log(`load-time benchmark: navigation → loaded, ${opts.runs} cold runs per variant, ${opts.latency} ms on every request`);
  console.log(`clerk-js ${CLERK_VERSION} | yew-clerk release wasm (opt-level z, LTO, wasm-opt -Oz: wasm ${wasmGz('app_bg.wasm')} B gz, js ${wasmGz('app.js')} B gz)`);
  console.log(`chromium ${chromiumVersion} headless | ${os.cpus().length} CPUs, load average ${load0.toFixed(2)} → ${os.loadavg()[0].toFixed(2)}`);
  for (const scenario of opts.scenarios) {
    const rows = opts.variants.map((v) => {
      const runs = results[scenario][v];
      const ts = runs.map((r) => r.t);
      const before = (r) => r.fapi.filter((e) => e.at < r.t);
      const medRun = runs.reduce((best, r) => (Math.abs(r.t - median(ts)) < Math.abs(best.t - median(ts)) ? r : best));
      const staticBytes = median(runs.map((r) => r.resources.filter((x) => x.url.startsWith(site.url) && x.start < r.t)
        .reduce((s, x) => s + x.bodyBytes, 0)));
      const fapiBefore = median(runs.map((r) => before(r).length));
      const clientGets = Math.max(...runs.map((r) => before(r).filter((e) => e.path === '/v1/client' && e.method === 'GET').length));
      const wrong = runs.filter((r) => r.signedIn !== (scenario === 'signed-in')).length;
      // Where the time goes: the last static / FAPI response that ended before loaded, and
      // what came after both (script/wasm work once everything needed had arrived).
      const lastEnd = (r, isStatic) => Math.max(0, ...r.resources
        .filter((x) => /^https?:/.test(x.url) && x.url.startsWith(site.url) === isStatic && x.end != null && x.end <= r.t)
        .map((x) => x.end));
      const lastStatic = median(runs.map((r) => lastEnd(r, true)));
      const lastFapi = median(runs.map((r) => lastEnd(r, false)));
      const after = median(runs.map((r) => r.t - Math.max(lastEnd(r, true), lastEnd(r, false))));
      // yew only: when app.js had run (init called) and when the wasm's main started.
      const initAt = runs[0].initAt != null ? median(runs.map((r) => r.initAt)) : null;
      const mainAt = runs[0].mainAt != null ? median(runs.map((r) => r.mainAt)) : null;
      const mainToLoaded = runs[0].mainAt != null ? median(runs.map((r) => r.t - r.mainAt)) : null;
      return { v, ts, med: median(ts), p90: quantile(ts, 0.9), min: Math.min(...ts), staticBytes, fapiBefore, clientGets, wrong, medRun,
        lastStatic, lastFapi, after, initAt, mainAt, mainToLoaded };
    });
    const base = rows.find((r) => r.v === 'clerk-js');
    console.log('');
    console.log(`scenario: ${scenario}`);
    console.log(`  ${pad('variant', 14)} ${lpad('median', 8)} ${lpad('p90', 8)} ${lpad('min', 8)} ${lpad('× clerk-js', 11)} ${lpad('static B (gz)', 14)} ${lpad('FAPI reqs', 10)} ${lpad('GET /v1/client', 15)} ${lpad('static end', 11)} ${lpad('FAPI end', 9)} ${lpad('then', 7)}`);
    for (const r of rows) {
      const ratio = base ? (r.med / base.med).toFixed(2) : '-';
      const ms = (x) => `${x.toFixed(0)} ms`;
      console.log(`  ${pad(r.v, 14)} ${lpad(ms(r.med), 8)} ${lpad(ms(r.p90), 8)} ${lpad(ms(r.min), 8)} ${lpad(ratio, 11)} ${lpad(r.staticBytes, 14)} ${lpad(r.fapiBefore, 10)} ${lpad(r.clientGets, 15)} ${lpad(ms(r.lastStatic), 11)} ${lpad(ms(r.lastFapi), 9)} ${lpad(ms(r.after), 7)}${r.wrong ? `  !! ${r.wrong} runs with the wrong auth state` : ''}`);
    }
    for (const r of rows.filter((x) => x.mainAt != null)) {
      console.log(`  ${r.v}: app.js run at ${r.initAt.toFixed(0)} ms, wasm main() at ${r.mainAt.toFixed(0)} ms, main() → loaded ${r.mainToLoaded.toFixed(0)} ms (medians)`);
      const runs = results[scenario][r.v];
      const views = runs.filter((x) => x.firstView);
      if (views.length) {
        const firstLoaded = views.filter((x) => x.firstView.loaded).length;
        console.log(`  ${r.v}: first render already loaded in ${firstLoaded}/${runs.length} runs; main() → first render ${median(views.map((x) => x.firstView.t - x.mainAt)).toFixed(0)} ms (median)`);
      }
      const bodies = runs.filter((x) => x.bodiesAt != null);
      if (bodies.length) {
        const before = bodies.filter((x) => x.bodiesAt <= x.mainAt).length;
        console.log(`  ${r.v}: snippet bodies all in at ${median(bodies.map((x) => x.bodiesAt)).toFixed(0)} ms (median), before main() in ${before}/${runs.length} runs`);
      }
    }
    if (base) {
      const target = 0.5 * base.med;
      for (const r of rows.filter((x) => x.v !== 'clerk-js')) {
        console.log(`  ${r.v}: ${r.med <= target ? 'meets' : 'MISSES'} the target ≤ 0.5 × clerk-js = ${target.toFixed(0)} ms (median ${r.med.toFixed(0)} ms)`);
      }
    }
    console.log('  waterfall of the median run per variant (ms since navigation start: browser requests start → response end, and what the emulator logged on arrival):');
    for (const r of rows) {
      console.log(`    ${r.v}:`);
      console.log(waterfall(r.medRun, site.url));
    }
    if (opts.verbose) {
      for (const r of rows) console.log(`  all ${r.v}: ${r.ts.map((t) => t.toFixed(0)).join(' ')}`);
    }
  }
  console.log('');
  console.log('columns: median/p90/min of navigation → loaded; × clerk-js = median ratio; static B (gz) = bytes of HTML/JS/wasm');
  console.log('received before loaded (gzip -9 bodies); FAPI reqs = Frontend API requests started before loaded; GET /v1/client = the');
  console.log('most GET /v1/client any run sent before loaded (1 with the snippet means it was adopted, not fetched twice);');
  console.log('static end / FAPI end = when the last static / FAPI response used before loaded ended; then = loaded minus the later');
  console.log('of the two (script or wasm work after everything had arrived). All medians over the runs.');
}

if (isMainThread) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  serveStatic(workerData.pageMap, workerData.latency);
}
