// Shared plumbing for running the extension in a real VS Code (code-server 4.100.3 + Debian Chromium):
// throwaway sandboxes, starting code-server, launching Chromium, bundling the test entries, and ending
// every process we started, by PID. Used by run-integration, run-e2e and start.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerEntry } from './setup-vscode.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps dialling Google on a closed network.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'git.enabled': false,
  'editor.hover.delay': 200,
  'window.restoreWindows': 'none',
};

export const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/**
 * A fresh folder for one run: VS Code user data, extensions, XDG dirs and (for tests, which write
 * checklists and registry entries) a copy of the sample workspace.
 */
export function createSandbox(name, { copyWorkspace = true } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `attache-${name}-`));
  const sandbox = {
    dir,
    userData: path.join(dir, 'user-data'),
    extensions: path.join(dir, 'extensions'),
    config: path.join(dir, 'config.yaml'),
    workspace: path.join(dir, 'workspace'),
    log: path.join(dir, 'code-server.log'),
  };
  for (const sub of ['user-data/User', 'extensions', 'xdg/config', 'xdg/data', 'xdg/cache', 'tmp']) {
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
  }
  fs.writeFileSync(path.join(sandbox.userData, 'User/settings.json'), JSON.stringify(SETTINGS, null, 2));
  fs.writeFileSync(sandbox.config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  if (copyWorkspace) fs.cpSync(path.join(root, 'samples/workspace'), sandbox.workspace, { recursive: true });
  return sandbox;
}

function codeServerEnv(sandbox) {
  return {
    ...process.env,
    XDG_CONFIG_HOME: path.join(sandbox.dir, 'xdg/config'),
    XDG_DATA_HOME: path.join(sandbox.dir, 'xdg/data'),
    XDG_CACHE_HOME: path.join(sandbox.dir, 'xdg/cache'),
    TMPDIR: path.join(sandbox.dir, 'tmp'),
    // No marketplace: look-ups would only fail on this network.
    EXTENSIONS_GALLERY: '{}',
  };
}

function codeServerArgs(sandbox) {
  return [
    codeServerEntry, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened',
    '--user-data-dir', sandbox.userData, '--extensions-dir', sandbox.extensions, '--config', sandbox.config,
  ];
}

export function installVsix(sandbox, vsix) {
  const result = spawnSync(process.execPath, [...codeServerArgs(sandbox), '--install-extension', vsix], {
    env: codeServerEnv(sandbox),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`installing ${vsix} failed:\n${result.stdout}${result.stderr}`);
}

/** Shows the end of code-server's log, where a failed start or a crashed extension host shows up. */
export function printLogTail(log, lines = 30) {
  if (!fs.existsSync(log)) return;
  const tail = fs.readFileSync(log, 'utf8').trimEnd().split('\n').slice(-lines);
  console.error(`--- last lines of code-server's log ---\n${tail.join('\n')}\n---`);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts code-server on 127.0.0.1:port and resolves once it listens. Its output goes to sandbox.log
 * (and to our stdout when `echo` is set).
 */
export function startCodeServer(sandbox, port, { echo = false, readyTimeoutMs = 60_000 } = {}) {
  const logFile = fs.openSync(sandbox.log, 'a');
  const child = spawn(process.execPath, [...codeServerArgs(sandbox), '--bind-addr', `127.0.0.1:${port}`], {
    env: codeServerEnv(sandbox),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`code-server did not listen within ${readyTimeoutMs / 1000} s`)), readyTimeoutMs);
    let ready = false;
    const fail = (error) => {
      clearTimeout(timer);
      if (!ready) reject(error);
    };
    const onData = (chunk) => {
      fs.writeSync(logFile, chunk);
      if (echo) process.stdout.write(chunk);
      if (!ready && chunk.toString().includes('HTTP server listening')) {
        ready = true;
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', fail);
    child.once('exit', (code, signal) => {
      fs.closeSync(logFile);
      fail(new Error(`code-server exited early (${code ?? signal}); see ${sandbox.log}`));
    });
  });
}

/** The workbench URL that opens `folder`, with extra launch parameters (the desktop CLI's flags) as payload. */
export function workbenchUrl(port, folder, payload = []) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const entries = [['skipWelcome', 'true'], ...payload.map(([key, value]) => [key, value.startsWith('/') ? remote(value) : value])];
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(entries))}`;
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  // Playwright gives each launch a fresh, empty profile.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** Bundles TypeScript test entries to CommonJS next to each other under out/, `vscode` left to the host. */
export async function bundleTests(entryPoints, outbase, external = []) {
  const { build } = await import('esbuild');
  await build({
    entryPoints, outbase, outdir: path.join(root, 'out', path.relative(root, outbase)),
    absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
    sourcemap: 'inline', logLevel: 'warning', external: ['vscode', 'mocha', ...external],
  });
}

export function listFiles(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true })
    .filter((name) => name.endsWith(suffix))
    .map((name) => path.join(dir, name))
    .sort();
}

function childrenByParent() {
  const map = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name (field 2) may hold spaces and parentheses; the parent PID follows the last ')'.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!map.has(ppid)) map.set(ppid, []);
      map.get(ppid).push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return map;
}

function descendants(pid) {
  const map = childrenByParent();
  const found = [];
  const stack = [pid];
  while (stack.length) {
    for (const child of map.get(stack.pop()) ?? []) {
      found.push(child);
      stack.push(child);
    }
  }
  return found;
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function signal(pid, sig) {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

/** SIGTERM to `pid`, then SIGKILL to whatever of its process tree is still there after `graceMs`. */
export async function stopProcessTree(pid, graceMs = 3000) {
  const tree = [pid, ...descendants(pid)];
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && tree.some(alive)) await new Promise((r) => setTimeout(r, 100));
  for (const leftover of tree.filter(alive)) signal(leftover, 'SIGKILL');
}

/** Ends every process this script started (code-server, Chromium, helpers), synchronously, by PID. */
export function killOwnChildren() {
  for (const pid of descendants(process.pid)) signal(pid, 'SIGKILL');
}

/** After `ms`, reports, kills everything we started and exits 124: a hung VS Code never hangs CI. */
export function hardTimeout(ms, label) {
  const timer = setTimeout(() => {
    console.error(`${label}: hard timeout after ${ms / 1000} s; stopping every process it started`);
    killOwnChildren();
    process.exit(124);
  }, ms);
  return () => clearTimeout(timer);
}

/** Kills our children if we are interrupted, so Ctrl-C or a CI cancel leaves nothing running. */
export function cleanUpOnSignals() {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      killOwnChildren();
      process.exit(130);
    });
  }
}
