// Helpers shared by the browser checks (check.mjs, keyboard.mjs, naughty.mjs): where the binary
// and Chromium are, a free port, the `phare` CLI, `phare serve` started and stopped by its pid,
// Chromium launched with no route out, and the sign-in form.

import { chromium } from 'playwright-core';
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '..');
const TARGET = process.env.CARGO_TARGET_DIR ? path.resolve(ROOT, process.env.CARGO_TARGET_DIR) : path.join(ROOT, 'target');
export const BIN = process.env.PHARE_BIN || path.join(TARGET, 'debug', 'phare');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** A TCP port free on 127.0.0.1 right now. */
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

/** Runs a `phare` command (`admin create-user …`) to completion; returns its stdout. */
export function runPhare(args, input) {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw new Error(`phare ${args[0]} ${args[1] ?? ''}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`phare ${args.join(' ')} exited ${r.status}: ${r.stderr || r.stdout}`);
  }
  return r.stdout;
}

/**
 * Starts `phare serve` on `dataDir` and a free 127.0.0.1 port, and waits until it announces its
 * address and answers /healthz. Returns { base, proc, log(), stop() }; stop() sends SIGTERM to
 * this process only (SIGKILL after 5 s) and waits for it to exit.
 */
export async function startPhare({ dataDir, args = [], env = {} }) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(BIN, ['serve', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, ...args], {
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const onData = (d) => {
    log += d.toString();
    if (log.length > 200_000) log = log.slice(-100_000);
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const exited = new Promise((resolve) => proc.once('exit', (code, sig) => resolve({ code, sig })));
  const handle = {
    base,
    proc,
    log: () => log,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(t);
    },
  };
  const started = Date.now();
  while (Date.now() - started < 30_000) {
    const done = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 100))]);
    if (done) throw new Error(`phare serve exited early (${done.code ?? done.sig}):\n${log}`);
    if (log.includes(base)) {
      try {
        const r = await fetch(`${base}/healthz`);
        if (r.ok) return handle;
      } catch {
        /* not accepting yet */
      }
    }
  }
  await handle.stop();
  throw new Error(`phare serve did not announce ${base} within 30 s:\n${log}`);
}

/**
 * Headless Chromium from Debian with a fresh temporary profile (removed on close) and no route
 * out: any name other than the loopback address fails to resolve.
 */
export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
}

/** Signs in through the /login form; returns the response of the page landed on. */
export async function formLogin(page, base, email, password) {
  const response = await page.goto(`${base}/login`, { waitUntil: 'load' });
  const form = page.locator('form:has(input[name="password"])').first();
  await form.locator('input[name="email"]').fill(email);
  await form.locator('input[name="password"]').fill(password);
  const submit = form.locator('button[type="submit"], input[type="submit"], button:not([type])').first();
  const [nav] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), submit.click()]);
  const status = nav ? nav.status() : 0;
  if (status >= 400 || new URL(page.url()).pathname === '/login') {
    throw new Error(`login as ${email} failed: status ${status}, landed on ${page.url()}`);
  }
  return { login: response, landed: nav };
}
