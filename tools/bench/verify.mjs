#!/usr/bin/env node
// Session-token verification throughput: yew-clerk-server vs @clerk/backend's verifyToken,
// side by side in one run, on the same tokens, both with a cached JWKS.
//
//   node tools/bench/verify.mjs                 # 3 s per side, 256 distinct tokens
//   node tools/bench/verify.mjs --seconds 10 --tokens 1000
//
// This script generates an RSA key, mints the tokens (Clerk v2 session-token claims), serves the
// JWKS on 127.0.0.1 (as the Backend API's /v1/jwks) and counts its hits; then it builds and runs
// server/examples/verify_bench.rs (release, opt-level 3: the workspace's release profile is
// tuned for wasm size) and runs verifyToken in this process. Each side runs alone, one
// verification at a time (one core), after a warm-up verification that fills its JWKS cache.
// Needs tools/node_modules (npm ci --prefix tools) and cargo. Not run in CI.

import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { verifyToken } from '@clerk/backend';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const argv = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
if (argv.includes('--help')) {
  console.log('node tools/bench/verify.mjs [--seconds 3] [--tokens 256]');
  process.exit(0);
}
const SECONDS = Number(flag('--seconds', '3'));
const N_TOKENS = Number(flag('--tokens', '256'));
const AZP = 'http://app.example.test';
const KID = 'ins_bench';

// ---- key, JWKS and tokens ----
const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' };
const jwks = JSON.stringify({ keys: [jwk] });
const b64url = (b) => Buffer.from(b).toString('base64url');
const now = Math.floor(Date.now() / 1000);
const tokens = [];
for (let i = 0; i < N_TOKENS; i++) {
  const header = b64url(JSON.stringify({ alg: 'RS256', kid: KID, typ: 'JWT' }));
  const payload = b64url(JSON.stringify({
    azp: AZP, exp: now + 3600, fva: [0, -1], iat: now - 1, iss: 'https://clerk.example.test',
    nbf: now - 10, sid: `sess_${i}`, sts: 'active', sub: `user_${i}`, v: 2,
    o: { id: 'org_1', rol: 'admin', slg: 'acme', per: 'read,manage', fpm: '3' }, fea: 'o:invoices',
  }));
  const sig = crypto.sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), privateKey);
  tokens.push(`${header}.${payload}.${b64url(sig)}`);
}

let jwksHits = 0;
const server = http.createServer((req, res) => {
  if (req.url === '/v1/jwks' || req.url === '/.well-known/jwks.json') {
    jwksHits++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(jwks);
  } else {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const apiUrl = `http://127.0.0.1:${server.address().port}`;

// ---- Rust side ----
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-bench-'));
const tokensFile = path.join(tmp, 'tokens.json');
fs.writeFileSync(tokensFile, JSON.stringify(tokens));
const targetDir = process.env.CARGO_TARGET_DIR || path.join(repo, 'target');
const env = {
  ...process.env,
  CARGO_TARGET_DIR: targetDir,
  CARGO_PROFILE_RELEASE_OPT_LEVEL: '3',
  CARGO_PROFILE_RELEASE_LTO: 'thin',
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS: '16',
  CARGO_PROFILE_RELEASE_PANIC: 'unwind',
};
console.error('building server/examples/verify_bench.rs (release)…');
const build = spawnSync('cargo', ['build', '--release', '-p', 'yew-clerk-server', '--example', 'verify_bench'],
  { cwd: repo, env, stdio: ['ignore', 'inherit', 'inherit'] });
if (build.status !== 0) process.exit(build.status ?? 1);
// Run the server in this process's event loop while the Rust side runs: spawn async.
const { spawn } = await import('node:child_process');
const rust = await new Promise((resolve, reject) => {
  const p = spawn(path.join(targetDir, 'release/examples/verify_bench'),
    ['--jwks-url', `${apiUrl}/v1/jwks`, '--tokens', tokensFile, '--seconds', String(SECONDS), '--azp', AZP],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  p.stdout.on('data', (d) => { out += d; });
  p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`verify_bench exited ${code}`))));
});
const rustHits = jwksHits;

// ---- @clerk/backend side ----
const options = { secretKey: 'sk_test_bench', apiUrl, authorizedParties: [AZP] };
const check = (r) => {
  if (r?.errors) throw r.errors[0];
  return r.data ?? r;
};
check(await verifyToken(tokens[0], options)); // warm-up: fills the JWKS cache
let done = 0;
let errors = 0;
const start = process.hrtime.bigint();
const budget = BigInt(Math.round(SECONDS * 1e9));
outer: for (;;) {
  for (const t of tokens) {
    try {
      const claims = check(await verifyToken(t, options));
      if (!claims.sub) errors++;
    } catch {
      errors++;
    }
    done++;
    if (done % 64 === 0 && process.hrtime.bigint() - start >= budget) break outer;
  }
}
const secs = Number(process.hrtime.bigint() - start) / 1e9;
const node = { verifications: done, seconds: secs, per_sec: done / secs, errors, jwks_fetches: jwksHits - rustHits };
server.close();
fs.rmSync(tmp, { recursive: true, force: true });

// ---- report ----
const pkg = JSON.parse(fs.readFileSync(path.join(here, '../node_modules/@clerk/backend/package.json'), 'utf8'));
const row = (name, r) => `${name.padEnd(28)} ${r.per_sec.toFixed(0).padStart(10)} /s ${String(r.verifications).padStart(10)} in ${r.seconds.toFixed(2)} s   errors ${r.errors}   JWKS fetches ${r.jwks_fetches}`;
console.log(`token verifications per second, cached JWKS, RS256 2048-bit, ${N_TOKENS} distinct tokens, one core each (node ${process.version})`);
console.log(row('yew-clerk-server (Rust)', rust));
console.log(row(`@clerk/backend ${pkg.version} verifyToken`, node));
console.log(`ratio: ${(rust.per_sec / node.per_sec).toFixed(2)}x`);
if (rust.errors || node.errors) {
  console.error('verification errors: the figures are not comparable');
  process.exit(1);
}
