// A page that loads the real clerk-js (tools/node_modules/@clerk/clerk-js) against an
// emulator, for the conformance tests.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const toolsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLERK_DIST = path.join(toolsDir, 'node_modules/@clerk/clerk-js/dist');
export const CLERK_VERSION = JSON.parse(
  fs.readFileSync(path.join(toolsDir, 'node_modules/@clerk/clerk-js/package.json'), 'utf8'),
).version;

/** Chromium flags for a quiet headless run. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--disable-quic'];

/**
 * Serves a page that loads clerk.browser.js with `publishableKey` and `proxyUrl =
 * emulatorUrl` (page errors collect in `window.__clerkErrors`), and clerk-js's dist folder (its lazy chunks load from there). Resolves with
 * `{server, url}` (`url` ends with `/`).
 */
export function startPageServer(emulatorUrl, publishableKey) {
  const page = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>clerk-js conformance</title></head><body>
<script>window.__clerkErrors = []; window.addEventListener('error', e => window.__clerkErrors.push(String(e.message)));</script>
<script src="/clerk-js/clerk.browser.js" data-clerk-publishable-key="${publishableKey}"
  data-clerk-proxy-url="${emulatorUrl}" crossorigin="anonymous"></script>
</body></html>`;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page);
      return;
    }
    if (url.pathname.startsWith('/clerk-js/')) {
      const file = path.join(CLERK_DIST, path.basename(url.pathname));
      if (fs.existsSync(file)) {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
        fs.createReadStream(file).pipe(res);
        return;
      }
    }
    res.writeHead(404);
    res.end('not found');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}/` }));
  });
}
