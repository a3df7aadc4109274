#!/usr/bin/env node
// Load-time benchmark: navigation → "Clerk loaded" for clerk-js vs yew-clerk (client-rendered,
// with and without the prefetch snippet, and server-rendered), side by side in one run, with
// the same artificial latency on every request.
//
//   node tools/bench/load-time.mjs                 # build the release wasm + SSR server, 15 runs each
//   node tools/bench/load-time.mjs --prebuilt      # reuse the build output (no cargo build)
//   node tools/bench/load-time.mjs --runs 30 --latency 150 --scenarios signed-in,signed-out
//   node tools/bench/load-time.mjs --network unlimited,mobile   # both network profiles, one run
//   node tools/bench/load-time.mjs --names --profile /tmp/prof --runs 3   # CPU profiles
//
// Flags: --runs N (15), --latency MS (150), --prebuilt, --scenarios LIST (signed-in,signed-out;
// also signed-in-stale, first-visit), --variants LIST (clerk-js,yew,yew-prefetch,ssr,floor), --network LIST
// (unlimited; also mobile), -v/--verbose (every run), --profile DIR (write a DevTools
// .cpuprofile per measured load; sampling slows the loads), --names (keep wasm function names:
// wasm-bindgen --keep-debug, wasm-opt -g; separate output dir out-names; bigger wasm, so not
// for the figures).
//
// Variants (each measured in the same run, interleaved run by run):
//   clerk-js      @clerk/clerk-js (tools/node_modules, dist/clerk.browser.js) with proxyUrl →
//                 emulator; loaded = `await Clerk.load()` resolved.
//   yew           the release wasm of tools/bench/app (ClerkProvider + a marker), no snippet.
//   yew-prefetch  the same wasm, index.html with src/browser/prefetch.js inlined in <head>.
//   ssr           the same app (tools/bench/app/src/bench_app.rs) rendered per request by
//                 tools/bench/ssr-app (axum + yew-clerk-server's ClerkLayer: the request's
//                 session verified with the emulator's JWKS, InitialState embedded, Yew
//                 ServerRenderer) and hydrated by its wasm (Yew "hydration"). Two times:
//                 painted = Element Timing renderTime of the marker (`elementtiming` on the
//                 <div id="loaded"> that shows the signed-in state, in the server's HTML);
//                 hydrated = the marker's effect ran (hydration finished, `performance.now()`).
//   floor         no app at all: the same snippet, and loaded = both of its responses in and
//                 the client JSON parsed. No client-rendered page on this network can be
//                 faster, so its ratio is the lower bound of any yew-prefetch ratio measured here.
// yew loaded = the first render with `use_auth().is_loaded` (its effect records the time).
// Times are `performance.now()` at that moment (navigation start = 0), read with
// page.evaluate.
//
// Network model: every request takes LATENCY ms more. The static files (HTML, JS, wasm) come
// from a node server here (worker thread) that waits LATENCY ms before answering (gzip -9 when
// accepted, from memory); the ssr pages come through the same server (it waits LATENCY ms,
// then forwards the request to the SSR server on localhost and gzips its answer); the Frontend
// API is clerk-emulator with a latency fault `{path:"/v1/*", kind:"latency", latency_ms:
// LATENCY}`. No CPU throttling. No variant sends CORS preflights (the emulator would not delay
// them). Network profiles (--network; every profile is measured on its own, interleaved):
//   unlimited   localhost bandwidth (the model above).
//   mobile      Chromium network emulation (CDP Network.emulateNetworkConditions) with
//               Lighthouse's mobile figures: 1.6 Mbps down (1638.4 kbit/s), 750 kbit/s up,
//               150 ms round trip. The round trip is not added twice: each request takes
//               max(LATENCY, 150) ms, LATENCY at the servers as above and the rest (150 -
//               LATENCY, if positive) as CDP latency; so with the default LATENCY (150) the two
//               profiles differ only in bandwidth.
//
// Scenarios (development instance, i.e. the dev-browser path of pk_test_ keys):
//   signed-in   returning signed-in user: a setup context loads the page once (dev browser
//               created), signs in through FAPI in the page (POST /v1/client/sign_ins), reloads
//               and checks it is signed in; its cookies + localStorage are the starting state
//               of every measured run. ssr: before every run the __session cookie of that
//               state is replaced by a token minted just then (POST /v1/client/sessions/{id}/
//               tokens), i.e. a user whose cookie is younger than the token lifetime (60 s);
//               runs that went through the handshake anyway are counted and reported.
//   signed-in-stale  (optional) the same as signed-in, but the ssr state's __session cookie is
//               left to expire before the runs (a user back after more than the token
//               lifetime): the server sends every ssr run through the handshake (a redirect to
//               FAPI and back) before it can render signed in.
//   signed-out  returning signed-out visitor: the same without the sign-in.
//   first-visit no cookies at all (the snippet cannot help: no dev browser yet). Optional.
// Every measured run is a COLD load: a new browser context (empty HTTP cache, no compiled
// wasm cache, new connections) seeded with the scenario's cookies/localStorage.
//
// Env: CLERK_EMULATOR_BIN (default $CARGO_TARGET_DIR/debug/clerk-emulator, or target/debug/…;
//      `cargo build -p clerk-emulator` first unless --prebuilt and it exists), CHROMIUM
//      (default /usr/bin/chromium), CARGO_TARGET_DIR (build output in its bench/ subdirectory;
//      default target/bench).

import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
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
    variants: ['clerk-js', 'yew', 'yew-prefetch', 'ssr', 'floor'],
    network: ['unlimited'],
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
    else if (a === '--network') o.network = val().split(',');
    else if (a === '--verbose' || a === '-v') o.verbose = true;
    else if (a === '--profile') o.profile = path.resolve(val());
    else if (a === '--names') o.names = true;
    else if (a === '--help' || a === '-h') {
      const lines = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1);
      console.log(lines.slice(0, lines.findIndex((l) => !l.startsWith('//')))
        .map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (see --help)`);
  }
  if (!(o.runs >= 1)) throw new Error('--runs must be >= 1');
  for (const s of o.scenarios) {
    if (!['signed-in', 'signed-in-stale', 'signed-out', 'first-visit'].includes(s)) throw new Error(`unknown scenario ${s}`);
  }
  for (const v of o.variants) {
    if (!['clerk-js', 'yew', 'yew-prefetch', 'ssr', 'floor'].includes(v)) throw new Error(`unknown variant ${v}`);
  }
  for (const n of o.network) {
    if (!(n in NETWORKS)) throw new Error(`unknown network profile ${n} (${Object.keys(NETWORKS).join(', ')})`);
  }
  return o;
}
// Network profiles (see the header). Throughput in bytes/s as CDP wants it; `rtt` is the
// profile's round trip, of which the servers already add --latency.
const NETWORKS = {
  unlimited: null,
  mobile: { rtt: 150, down: (1.6 * 1024 * 1024) / 8, up: (750 * 1024) / 8 },
};

// The static server runs in a worker thread (same file): Playwright's event traffic on the main
// thread must not delay its responses.
const opts = isMainThread ? parseArgs(process.argv.slice(2)) : workerData.opts;

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CARGO_TARGET = process.env.CARGO_TARGET_DIR ? path.resolve(process.env.CARGO_TARGET_DIR) : path.join(repoDir, 'target');
const EMULATOR_BIN = path.resolve(repoDir, process.env.CLERK_EMULATOR_BIN || path.join(CARGO_TARGET, 'debug/clerk-emulator'));
const CLERK_DIST = path.join(toolsDir, 'node_modules/@clerk/clerk-js/dist');
const CLERK_VERSION = JSON.parse(
  fs.readFileSync(path.join(toolsDir, 'node_modules/@clerk/clerk-js/package.json'), 'utf8'),
).version;
const APP_DIR = path.join(here, 'app');
const SSR_DIR = path.join(here, 'ssr-app');
const TARGET_DIR = path.join(CARGO_TARGET, 'bench');
const SSR_SERVER_BIN = path.join(TARGET_DIR, 'bench-server/bench-ssr-server');
const OUT_DIR = path.join(TARGET_DIR, opts.names ? 'out-names' : 'out');
const PREFETCH_JS = path.join(repoDir, 'src/browser/prefetch.js');
const PREFETCH_PLACEHOLDER = "('https://clerk.example.com', false, '')";
const EMAIL = 'demo@example.com';
const PASSWORD = 'demo-password-123';

const log = (...a) => console.error('==>', ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- build
function run(cmd, args, env = {}) {
  log(`${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { cwd: repoDir, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
}

/** Builds the wasm of `crate` (bin `bin`) and writes OUT_DIR/{name}.js + {name}_bg.wasm. */
function buildWasm(crateDir, bin, name, env) {
  // Resolve the same versions as the library (wasm-bindgen is pinned to the installed CLI).
  fs.copyFileSync(path.join(repoDir, 'Cargo.lock'), path.join(crateDir, 'Cargo.lock'));
  run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '--bin', bin,
    '--manifest-path', path.join(crateDir, 'Cargo.toml'), '--target-dir', TARGET_DIR], env);
  run('wasm-bindgen', ['--target', 'web', '--no-typescript', ...(opts.names ? ['--keep-debug'] : []),
    '--out-dir', OUT_DIR, '--out-name', name,
    path.join(TARGET_DIR, `wasm32-unknown-unknown/release/${bin}.wasm`)], env);
  run('wasm-opt', ['-Oz', ...(opts.names ? ['-g'] : []), path.join(OUT_DIR, `${name}_bg.wasm`),
    '-o', path.join(OUT_DIR, `${name}_bg.wasm`)], env);
}

function buildApp() {
  const binDir = path.join(toolsDir, 'node_modules/.bin');
  const env = { PATH: `${binDir}:${os.homedir()}/.cargo/bin:${process.env.PATH}` };
  fs.rmSync(OUT_DIR, { recursive: true, force: true });
  if (opts.variants.some((v) => v.startsWith('yew') || v === 'floor')) buildWasm(APP_DIR, 'bench-load-time', 'app', env);
  if (opts.variants.includes('ssr')) {
    // The hydrating client (release, like the app above) and the page server (host,
    // opt-level 3 without LTO: profile bench-server of tools/bench/ssr-app).
    buildWasm(SSR_DIR, 'bench-ssr-app', 'ssr', env);
    run('cargo', ['build', '--profile', 'bench-server', '--bin', 'bench-ssr-server',
      '--manifest-path', path.join(SSR_DIR, 'Cargo.toml'), '--target-dir', TARGET_DIR], env);
  }
}

/** The files a variant needs from the build. */
function requiredOutputs() {
  const files = [];
  if (opts.variants.some((v) => v.startsWith('yew') || v === 'floor')) files.push(path.join(OUT_DIR, 'app.js'), path.join(OUT_DIR, 'app_bg.wasm'));
  if (opts.variants.includes('ssr')) files.push(path.join(OUT_DIR, 'ssr.js'), path.join(OUT_DIR, 'ssr_bg.wasm'), SSR_SERVER_BIN);
  return files;
}

// ---------------------------------------------------------------- emulator
function ensureEmulator() {
  // Built (or brought up to date: a stale binary lacks newer routes, e.g. the handshake)
  // unless given or --prebuilt.
  if (process.env.CLERK_EMULATOR_BIN || (opts.prebuilt && fs.existsSync(EMULATOR_BIN))) {
    if (!fs.existsSync(EMULATOR_BIN)) throw new Error(`${EMULATOR_BIN} does not exist`);
    return;
  }
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
  // As prefetch::snippet_for_key fills it in: base, development, cookie suffix (the first 6
  // bytes of SHA-1(key), base64url: core::key::cookie_suffix).
  const suffix = crypto.createHash('sha1').update(pk).digest().subarray(0, 6).toString('base64url');
  const configured = snippet.replace(PREFETCH_PLACEHOLDER, `(${JSON.stringify(proxy)}, true, '${suffix}')`);
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

/**
 * What the ssr page's <head> starts with (the SSR server adds the InitialState script and the
 * rendered <body>): the paint observer, the app's configuration and the hydrating wasm, loaded
 * exactly as the yew page loads its wasm.
 */
function ssrHead(emu) {
  // Element Timing: the marker carries elementtiming="clerk-marker"; its entry's renderTime
  // is when the frame that first showed it was painted. buffered: the entry may come before
  // the observer (it does not here: this script is parsed before <body>).
  const painted = `<script>window.__needPaint = true; try { new PerformanceObserver(function (list) { list.getEntries().forEach(function (e) {
  if (e.identifier !== 'clerk-marker' || window.__painted) return; var el = e.element || document.getElementById('loaded');
  window.__painted = { t: e.renderTime || e.loadTime, signedIn: el ? el.getAttribute('data-signed-in') === 'true' : null }; }); })
  .observe({ type: 'element', buffered: true }); } catch (e) { window.__loadError = 'Element Timing unavailable: ' + e; }</script>`;
  return `${painted}
<script>window.__BENCH = { publishableKey: ${JSON.stringify(emu.publishableKey)}, proxyUrl: ${JSON.stringify(emu.url)} };</script>
<link rel="modulepreload" href="/app/ssr.js">
<link rel="preload" href="/app/ssr_bg.wasm" as="fetch" type="application/wasm" crossorigin>
<script type="module">import init from '/app/ssr.js'; window.__initAt = performance.now(); init({ module_or_path: '/app/ssr_bg.wasm' });</script>`;
}

/** Starts the SSR page server (tools/bench/ssr-app); resolves to `{ url, child }`. */
function startSsrServer(emu, origin) {
  return new Promise((resolve, reject) => {
    const child = spawn(SSR_SERVER_BIN, [], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CLERK_PUBLISHABLE_KEY: emu.publishableKey, CLERK_PROXY_URL: emu.url,
        BENCH_SSR_ORIGIN: origin, BENCH_SSR_HEAD: ssrHead(emu), BENCH_SSR_ADDR: '127.0.0.1:0' },
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`SSR server not ready after 30 s:\n${out}`)), 30_000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`SSR server exited (${code}):\n${out}`)); });
    child.stderr.on('data', (d) => { out += d; if (opts.verbose) process.stderr.write(d); });
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ url: m[1], child });
      }
    });
  });
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm' };

/** Starts the static server in a worker thread; resolves to `{ url, close }`. */
function startStaticServer(pageMap, latency) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { opts, pageMap, latency } });
    worker.once('error', reject);
    worker.once('message', (url) => resolve({ url, close: () => worker.terminate(),
      // Where /ssr/* is forwarded to (the SSR server starts after this one: it needs its origin).
      setSsrUrl: (ssrUrl) => worker.postMessage({ ssrUrl }) }));
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
  let ssrUrl = null;
  parentPort.on('message', (m) => { if (m && m.ssrUrl) ssrUrl = m.ssrUrl; });
  // /ssr/*: forwarded to the SSR server after the same wait, its answer gzipped like a file.
  const proxySsr = (req, res, body) => {
    if (!ssrUrl) {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('SSR server not started');
      return;
    }
    const target = new URL(ssrUrl);
    const headers = { ...req.headers };
    delete headers['accept-encoding'];
    delete headers.connection;
    const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (ur) => {
      const chunks = [];
      ur.on('data', (c) => chunks.push(c));
      ur.on('end', () => {
        const raw = Buffer.concat(chunks);
        const gzip = raw.length > 0 && /\bgzip\b/.test(req.headers['accept-encoding'] || '');
        const out = gzip ? zlib.gzipSync(raw, { level: 9 }) : raw;
        const h = { ...ur.headers };
        for (const k of ['content-length', 'transfer-encoding', 'connection', 'keep-alive']) delete h[k];
        res.writeHead(ur.statusCode, { ...h, 'content-length': out.length, ...(gzip ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {}) });
        res.end(out);
      });
    });
    up.on('error', (e) => { res.writeHead(502, { 'content-type': 'text/plain' }); res.end(`SSR server: ${e.message}`); });
    up.end(body);
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname.startsWith('/ssr/')) {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => setTimeout(() => proxySsr(req, res, Buffer.concat(chunks)), latency));
      return;
    }
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
  // The ssr page (window.__needPaint) also waits for the marker's paint entry.
  await page.waitForFunction(() => (window.__loaded && (!window.__needPaint || window.__painted)) || window.__loadError,
    null, { timeout, polling: 20 });
  const r = await page.evaluate(() => ({ loaded: window.__loaded || null, error: window.__loadError || null,
    painted: window.__painted ?? null, timeOrigin: performance.timeOrigin, initAt: window.__initAt ?? null,
    mainAt: window.__mainAt ?? null, bodiesAt: window.__bodiesAt ?? null, firstView: window.__firstView ?? null }));
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

const COOKIE = {
  devBrowser: /^__clerk_db_jwt(_|$)/,
  session: /^__session(_|$)/,
};

/** The starting state (cookies + localStorage) of a scenario for one variant. */
async function prepareState(browser, emu, base, variant, scenario, apiVersion) {
  if (scenario === 'first-visit') return undefined;
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    // The floor page cannot create a dev browser: its state is prepared by the yew app (same
    // origin, so the same cookies).
    const url = `${base}/${variant === 'floor' ? 'yew-prefetch' : variant}/index.html`;
    const cookieIn = (re) => page.waitForFunction((src) => document.cookie.split('; ').some((c) => new RegExp(src).test(c.split('=')[0])),
      re.source, { timeout: 30_000, polling: 50 });
    await page.goto(url);
    let r = await waitLoaded(page);
    // ssr: "loaded" is the server's render; the hydrated client creates the dev browser as its
    // own load goes on.
    if (variant === 'ssr') await cookieIn(COOKIE.devBrowser);
    if (scenario.startsWith('signed-in')) {
      const s = await signInInPage(page, emu.url, apiVersion);
      if (s.status !== 200 || s.signIn !== 'complete') throw new Error(`${variant}: sign-in failed ${JSON.stringify(s)}`);
      await page.reload();
      r = await waitLoaded(page);
      if (variant === 'ssr') {
        // That reload was rendered before the browser had a __session cookie (signed out);
        // the client then loaded from FAPI, shows signed in and writes the cookie.
        await page.waitForFunction(() => document.querySelector('#loaded[data-signed-in="true"]'), null, { timeout: 30_000 });
        await cookieIn(COOKIE.session);
      }
      // Let post-load work (cookies, touch) settle before taking the state.
      await sleep(500);
    }
    if (variant === 'ssr') {
      // What the server renders with this state (through authenticate_request, the dev
      // browser cookie being set now).
      await page.reload();
      r = await waitLoaded(page);
      await sleep(500);
    }
    const want = scenario.startsWith('signed-in');
    if (r.loaded.signedIn !== want) throw new Error(`${variant}/${scenario}: setup load has signedIn=${r.loaded.signedIn}`);
    if (r.painted && r.painted.signedIn !== want) throw new Error(`${variant}/${scenario}: setup render has signedIn=${r.painted.signedIn}`);
    return await ctx.storageState();
  } finally {
    await ctx.close();
  }
}

/**
 * The state with its `__session` cookie(s) replaced by a token minted now for the same session
 * (ssr, signed in: the cookie the server reads must be younger than the token lifetime, or it
 * would go through the handshake; the other variants do not read it).
 */
async function freshSession(emu, state, apiVersion, origin) {
  const db = state.cookies.find((c) => COOKIE.devBrowser.test(c.name))?.value;
  const jwt = state.cookies.find((c) => COOKIE.session.test(c.name))?.value;
  if (!db || !jwt) throw new Error('ssr signed-in state without a dev browser or a __session cookie');
  const sid = JSON.parse(Buffer.from(jwt.split('.')[1] || '', 'base64url').toString()).sid;
  const r = await fetch(`${emu.url}/v1/client/sessions/${sid}/tokens?__clerk_api_version=${apiVersion}&__clerk_db_jwt=${db}`,
    { method: 'POST', headers: { origin } });
  const body = await r.json().catch(() => ({}));
  if (!r.ok || typeof body.jwt !== 'string') throw new Error(`minting a session token failed: ${r.status}`);
  return { ...state, cookies: state.cookies.map((c) => (COOKIE.session.test(c.name) ? { ...c, value: body.jwt } : c)) };
}

/** One cold measured load on network profile `network`. */
async function measure(browser, emu, base, variant, state, network, label = null) {
  const ctx = await browser.newContext(state ? { storageState: state } : {});
  try {
    const page = await ctx.newPage();
    const net = NETWORKS[network];
    if (net) {
      const ncdp = await ctx.newCDPSession(page);
      await ncdp.send('Network.enable');
      await ncdp.send('Network.emulateNetworkConditions', { offline: false, latency: Math.max(0, net.rtt - opts.latency),
        downloadThroughput: net.down, uploadThroughput: net.up });
    }
    const requests = [];
    page.on('requestfinished', (r) => requests.push(r));
    // Console errors and warnings (e.g. a hydration mismatch) and uncaught errors: reported.
    const problems = [];
    // (Not clerk-js's notice that it runs with development keys: expected here.)
    page.on('console', (m) => {
      if ((m.type() === 'error' || m.type() === 'warning') && !/loaded with development keys/.test(m.text())) problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
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
    // ssr: t = the marker painted; hydratedAt = hydration finished (the marker's effect).
    const ssr = r.painted != null;
    return { t: ssr ? r.painted.t : r.loaded.t, signedIn: ssr ? r.painted.signedIn : r.loaded.signedIn,
      hydratedAt: ssr ? r.loaded.t : null, hydratedSignedIn: ssr ? r.loaded.signedIn : null,
      handshake: fapi.some((e) => e.path === '/v1/client/handshake'), problems,
      initAt: r.initAt, mainAt: r.mainAt, bodiesAt: r.bodiesAt, firstView: r.firstView, resources, fapi };
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
    ...(run.hydratedAt != null ? [{ start: run.hydratedAt, end: null, what: 'ssr: hydration finished (the marker\'s effect ran)' }] : []),
  ].sort((a, b) => a.start - b.start);
  for (const x of rows) {
    const mark = x.start > run.t ? '  (after loaded)' : '';
    lines.push(`      ${lpad(x.start.toFixed(0), 5)} ms ${x.end != null ? `→ ${lpad(x.end.toFixed(0), 5)} ms` : '          '}  ${x.what}${x.bytes ? ` ${x.bytes} B` : ''}${mark}`);
  }
  lines.push(`      ${lpad(run.t.toFixed(0), 5)} ms  LOADED (signedIn=${run.signedIn})`);
  return lines.join('\n');
}

// ---------------------------------------------------------------- main
/** The rows of the report for one variant: ssr gives two (painted, hydrated). */
function series(v) {
  if (v !== 'ssr') return [{ name: v, v, tOf: (r) => r.t }];
  // The paint needs only the HTML: its bytes are those of responses that ended before it (the
  // JS and wasm requests start before the paint but arrive after it).
  return [{ name: 'ssr (painted)', v, tOf: (r) => r.t, painted: true },
    { name: 'ssr (hydrated)', v, tOf: (r) => r.hydratedAt }];
}

async function main() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found`);
  if (opts.variants.some((v) => v !== 'clerk-js')) {
    if (!opts.prebuilt) buildApp();
    for (const f of requiredOutputs()) {
      if (!fs.existsSync(f)) throw new Error(`${f} missing (run without --prebuilt)`);
    }
  }
  ensureEmulator();
  const apiVersion = /__clerk_api_version=([0-9-]+)/.exec(fs.readFileSync(PREFETCH_JS, 'utf8'))?.[1] || '2026-05-12';

  const emu = await startEmulator(EMULATOR_BIN);
  const site = await startStaticServer(pages(emu), opts.latency);
  let ssr = null;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
  const load0 = os.loadavg()[0];
  const loadMax = { v: load0 };
  const loadTimer = setInterval(() => { loadMax.v = Math.max(loadMax.v, os.loadavg()[0]); }, 5000);
  const chromiumVersion = browser.version();
  const results = {}; // `${scenario} ${network}` -> variant -> [run]
  try {
    if (opts.variants.includes('ssr')) {
      ssr = await startSsrServer(emu, site.url);
      site.setSsrUrl(ssr.url);
    }
    for (const scenario of opts.scenarios) {
      // Setup without latency (fast); every measured load with it.
      await control(emu, 'DELETE', '/faults');
      const states = {};
      for (const v of opts.variants) {
        log(`${scenario}: preparing ${v}`);
        states[v] = await prepareState(browser, emu, site.url, v, scenario, apiVersion);
      }
      if (scenario === 'signed-in-stale' && states.ssr) {
        // Wait until the ssr state's __session has expired (plus the server's clock skew).
        const jwt = states.ssr.cookies.find((c) => COOKIE.session.test(c.name))?.value || '';
        const exp = JSON.parse(Buffer.from(jwt.split('.')[1] || '', 'base64url').toString() || '{}').exp || 0;
        const wait = Math.max(0, (exp + 7) * 1000 - Date.now());
        log(`${scenario}: waiting ${(wait / 1000).toFixed(0)} s for the __session cookie to expire`);
        await sleep(wait);
      }
      await control(emu, 'POST', '/faults', { path: '/v1/*', kind: 'latency', latency_ms: opts.latency });
      const stateFor = async (v) => (v === 'ssr' && scenario === 'signed-in'
        ? freshSession(emu, states[v], apiVersion, site.url) : states[v]);
      for (const network of opts.network) {
        const key = `${scenario} ${network}`;
        results[key] = {};
        for (const v of opts.variants) results[key][v] = [];
        // One unmeasured warm-up load per variant, then interleaved runs (a, b, c, a, b, c, …)
        // so machine noise spreads over all variants.
        for (const v of opts.variants) await measure(browser, emu, site.url, v, await stateFor(v), network);
        for (let i = 0; i < opts.runs; i++) {
          for (const v of opts.variants) {
            const m = await measure(browser, emu, site.url, v, await stateFor(v), network, `${scenario}-${network}-${v}-${i + 1}`);
            results[key][v].push(m);
            if (opts.verbose) log(`${key} ${v} #${i + 1}: ${m.t.toFixed(0)} ms${m.hydratedAt != null ? `, hydrated ${m.hydratedAt.toFixed(0)} ms` : ''}${m.handshake ? ' (handshake)' : ''}`);
          }
          log(`${key}: run ${i + 1}/${opts.runs} done`);
        }
      }
    }
  } finally {
    clearInterval(loadTimer);
    await browser.close().catch(() => {});
    await site.close();
    if (ssr) {
      ssr.child.kill('SIGTERM');
      for (let i = 0; i < 100 && ssr.child.exitCode === null && ssr.child.signalCode === null; i++) await sleep(50);
    }
    await stopEmulator(emu);
  }

  // Report.
  const wasmGz = (f) => fs.existsSync(path.join(OUT_DIR, f)) ? zlib.gzipSync(fs.readFileSync(path.join(OUT_DIR, f)), { level: 9 }).length : 0;
  console.log('');
  console.log(`load-time benchmark: navigation → loaded, ${opts.runs} cold runs per variant, ${opts.latency} ms on every request`);
  console.log(`clerk-js ${CLERK_VERSION} | yew-clerk release wasm (opt-level z, LTO, wasm-opt -Oz: wasm ${wasmGz('app_bg.wasm')} B gz, js ${wasmGz('app.js')} B gz)`
    + (opts.variants.includes('ssr') ? ` | ssr hydrating wasm ${wasmGz('ssr_bg.wasm')} B gz, js ${wasmGz('ssr.js')} B gz` : ''));
  console.log(`chromium ${chromiumVersion} headless | ${os.cpus().length} CPUs, load average ${load0.toFixed(2)} → ${os.loadavg()[0].toFixed(2)} (max ${loadMax.v.toFixed(2)})`);
  const summary = [];
  for (const key of Object.keys(results)) {
    const [scenario, network] = key.split(' ');
    const rows = opts.variants.flatMap(series).map(({ name, v, tOf, painted }) => {
      // Each row reads its runs with its own "loaded" time.
      const runs = results[key][v].map((r) => ({ ...r, t: tOf(r) }));
      const ts = runs.map((r) => r.t);
      const before = (r) => r.fapi.filter((e) => e.at < r.t);
      const medRun = runs.reduce((best, r) => (Math.abs(r.t - median(ts)) < Math.abs(best.t - median(ts)) ? r : best));
      const staticBytes = median(runs.map((r) => r.resources.filter((x) => x.url.startsWith(site.url)
        && (painted ? x.end != null && x.end <= r.t : x.start < r.t))
        .reduce((s, x) => s + x.bodyBytes, 0)));
      const fapiBefore = median(runs.map((r) => before(r).length));
      const clientGets = Math.max(...runs.map((r) => before(r).filter((e) => e.path === '/v1/client' && e.method === 'GET').length));
      const want = scenario.startsWith('signed-in');
      const wrong = runs.filter((r) => r.signedIn !== want || (r.hydratedSignedIn != null && r.hydratedSignedIn !== want)).length;
      const handshakes = v === 'ssr' ? runs.filter((r) => r.handshake).length : null;
      // Where the time goes: the last static / FAPI response that ended before loaded, and
      // what came after both (script/wasm work once everything needed had arrived).
      const lastEnd = (r, isStatic) => Math.max(0, ...r.resources
        .filter((x) => /^https?:/.test(x.url) && x.url.startsWith(site.url) === isStatic && x.end != null && x.end <= r.t)
        .map((x) => x.end));
      const lastStatic = median(runs.map((r) => lastEnd(r, true)));
      const lastFapi = median(runs.map((r) => lastEnd(r, false)));
      const after = median(runs.map((r) => r.t - Math.max(lastEnd(r, true), lastEnd(r, false))));
      // wasm variants only: when app.js had run (init called) and when the wasm's main started.
      const initAt = runs[0].initAt != null ? median(runs.map((r) => r.initAt)) : null;
      const mainAt = runs[0].mainAt != null ? median(runs.map((r) => r.mainAt)) : null;
      const mainToLoaded = runs[0].mainAt != null ? median(runs.map((r) => r.t - r.mainAt)) : null;
      return { name, v, painted, runs, ts, med: median(ts), p90: quantile(ts, 0.9), min: Math.min(...ts), staticBytes, fapiBefore, clientGets, wrong,
        handshakes, medRun, lastStatic, lastFapi, after, initAt, mainAt, mainToLoaded };
    });
    const base = rows.find((r) => r.v === 'clerk-js');
    summary.push({ scenario, network, rows, base });
    console.log('');
    console.log(`scenario: ${scenario}, network: ${network}${NETWORKS[network] ? ` (${(NETWORKS[network].down * 8 / 1024 / 1024).toFixed(1)} Mbps down, ${(NETWORKS[network].up * 8 / 1024).toFixed(0)} kbps up, ${Math.max(opts.latency, NETWORKS[network].rtt)} ms per request)` : ''}`);
    console.log(`  ${pad('variant', 15)} ${lpad('median', 8)} ${lpad('p90', 8)} ${lpad('min', 8)} ${lpad('× clerk-js', 11)} ${lpad('static B (gz)', 14)} ${lpad('FAPI reqs', 10)} ${lpad('GET /v1/client', 15)} ${lpad('static end', 11)} ${lpad('FAPI end', 9)} ${lpad('then', 7)}`);
    for (const r of rows) {
      const ratio = base ? (r.med / base.med).toFixed(2) : '-';
      const ms = (x) => `${x.toFixed(0)} ms`;
      const noisy = r.runs.filter((x) => x.problems.length).length;
      const notes = [r.wrong ? `!! ${r.wrong} runs with the wrong auth state` : '', r.handshakes ? `${r.handshakes} runs through the handshake` : '',
        noisy ? `!! console errors/warnings in ${noisy} runs, e.g. ${JSON.stringify(r.runs.find((x) => x.problems.length).problems[0].slice(0, 160))}` : ''].filter(Boolean).join('; ');
      console.log(`  ${pad(r.name, 15)} ${lpad(ms(r.med), 8)} ${lpad(ms(r.p90), 8)} ${lpad(ms(r.min), 8)} ${lpad(ratio, 11)} ${lpad(r.staticBytes, 14)} ${lpad(r.fapiBefore, 10)} ${lpad(r.clientGets, 15)} ${lpad(ms(r.lastStatic), 11)} ${lpad(ms(r.lastFapi), 9)} ${lpad(ms(r.after), 7)}${notes ? `  ${notes}` : ''}`);
    }
    for (const r of rows.filter((x) => x.mainAt != null && !x.painted)) {
      console.log(`  ${r.name}: app.js run at ${r.initAt.toFixed(0)} ms, wasm main() at ${r.mainAt.toFixed(0)} ms, main() → loaded ${r.mainToLoaded.toFixed(0)} ms (medians)`);
      const views = r.runs.filter((x) => x.firstView);
      if (views.length) {
        const firstLoaded = views.filter((x) => x.firstView.loaded).length;
        console.log(`  ${r.name}: first render already loaded in ${firstLoaded}/${r.runs.length} runs; main() → first render ${median(views.map((x) => x.firstView.t - x.mainAt)).toFixed(0)} ms (median)`);
      }
      const bodies = r.runs.filter((x) => x.bodiesAt != null);
      if (bodies.length) {
        const before = bodies.filter((x) => x.bodiesAt <= x.mainAt).length;
        console.log(`  ${r.name}: snippet bodies all in at ${median(bodies.map((x) => x.bodiesAt)).toFixed(0)} ms (median), before main() in ${before}/${r.runs.length} runs`);
      }
    }
    for (const r of rows.filter((x) => x.handshakes != null && x.name === 'ssr (painted)')) {
      console.log(`  ssr: ${r.handshakes}/${r.runs.length} runs went through the handshake (GET /v1/client/handshake in the emulator's log)`);
    }
    if (base) {
      const target = 0.5 * base.med;
      for (const r of rows.filter((x) => x.v !== 'clerk-js')) {
        console.log(`  ${r.name}: ${r.med <= target ? 'meets' : 'MISSES'} the target ≤ 0.5 × clerk-js = ${target.toFixed(0)} ms (median ${r.med.toFixed(0)} ms)`);
      }
    }
    console.log('  waterfall of the median run per variant (ms since navigation start: browser requests start → response end, and what the emulator logged on arrival):');
    for (const r of rows) {
      console.log(`    ${r.name}:`);
      console.log(waterfall(r.medRun, site.url));
    }
    if (opts.verbose) {
      for (const r of rows) console.log(`  all ${r.name}: ${r.ts.map((t) => t.toFixed(0)).join(' ')}`);
    }
  }
  // One line per scenario and network: medians (× clerk-js) and bytes, side by side.
  console.log('');
  console.log('summary (median ms, × clerk-js, static bytes received before loaded, gzip):');
  const names = opts.variants.flatMap(series).map((x) => x.name);
  console.log(`| scenario | network | ${names.join(' | ')} |`);
  console.log(`| --- | --- | ${names.map(() => '---:').join(' | ')} |`);
  for (const { scenario, network, rows, base } of summary) {
    const cells = rows.map((r) => `${r.med.toFixed(0)} ms${base ? ` (${(r.med / base.med).toFixed(2)})` : ''}, ${(r.staticBytes / 1000).toFixed(1)} kB`);
    console.log(`| ${scenario} | ${network} | ${cells.join(' | ')} |`);
  }
  console.log('');
  console.log('columns: median/p90/min of navigation → loaded; × clerk-js = median ratio; static B (gz) = bytes of HTML/JS/wasm');
  console.log('received before loaded (gzip -9 bodies); FAPI reqs = Frontend API requests started before loaded; GET /v1/client = the');
  console.log('most GET /v1/client any run sent before loaded (1 with the snippet means it was adopted, not fetched twice);');
  console.log('static end / FAPI end = when the last static / FAPI response used before loaded ended; then = loaded minus the later');
  console.log('of the two (script or wasm work after everything had arrived). All medians over the runs. ssr (painted) = Element');
  console.log('Timing renderTime of the server-rendered marker; ssr (hydrated) = the hydrated app\'s first effect.');
}

if (isMainThread) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  serveStatic(workerData.pageMap, workerData.latency);
}
