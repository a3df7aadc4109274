// Starting clerk-emulator from the node tooling (conformance test and load-time bench).
import { spawn } from 'node:child_process';

/**
 * Starts the emulator binary `bin` on a free port as a `development` or `production`
 * instance; resolves with `{child, url, publishableKey}` once it prints its ready and key
 * lines (`url` without a trailing slash). Rejects if it exits first or is not ready in 60 s.
 */
export function startEmulator(bin, instance = 'development') {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['--addr', '127.0.0.1:0', '--instance', instance], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`emulator not ready after 60 s:\n${out}`)), 60_000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`emulator exited (${code}):\n${out}`)); });
    child.stderr.on('data', (d) => { out += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const ready = /clerk-emulator ready on (\S+)/.exec(out);
      const key = /clerk-emulator publishable_key=(\S+)/.exec(out);
      if (ready && key) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ child, url: ready[1].replace(/\/$/, ''), publishableKey: key[1] });
      }
    });
  });
}
