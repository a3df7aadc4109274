// Starting the project's servers (emulator, demo-api, demo-ssr) from the node tooling: the e2e
// tests and the soak. Every child started here is listed in `children`; `stopServers()` ends them.
import { spawn } from 'node:child_process';
import net from 'node:net';

/** The children started by `startServer` in this process. */
export const children = [];

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `bin args` (with `env` added to this process's environment) and resolves with its
 * output once `ready` matches it; rejects if it exits first or is not ready in 60 s.
 */
export function startServer(name, bin, args, ready, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    children.push(child);
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} not ready after 60 s:\n${out}`)), 60_000);
    const onExit = (code) => { clearTimeout(timer); reject(new Error(`${name} exited (${code}):\n${out}`)); };
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', onExit);
    const onData = (d) => {
      out += d;
      if (ready.test(out)) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(out);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
}

/** Ends every child started by `startServer`. */
export function stopServers() {
  for (const c of children) c.kill('SIGTERM');
}
