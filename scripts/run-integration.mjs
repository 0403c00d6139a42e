// Runs the extension-host suites (test/integration) inside a real VS Code 1.100.3: code-server on
// 127.0.0.1 with a throwaway profile, the sample workspace copied to a temp folder, the extension
// loaded from this repo (extensionDevelopmentPath) and mocha started through extensionTestsPath, as
// @vscode/test-electron does on the desktop. Chromium is only the renderer: it hosts the workbench and
// relays the test output (codeAutomationLog) and the result (codeAutomationExit).
//
// Usage: node scripts/run-integration.mjs [--no-build] [--grep <pattern>] [--verbose] [--bundle-only]
// (--bundle-only compiles the suites into out/test/integration for test/runTests.ts, and stops there.)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureCodeServer } from './setup-vscode.mjs';
import {
  root, seconds, createSandbox, freePort, startCodeServer, workbenchUrl, launchChromium, bundleTests,
  listFiles, stopProcessTree, hardTimeout, cleanUpOnSignals, printLogTail,
} from './vscode-harness.mjs';

const TIMEOUT_MS = 10 * 60_000;
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const grepIndex = args.indexOf('--grep');
const grep = grepIndex >= 0 ? args[grepIndex + 1] : undefined;

async function main() {
  const started = Date.now();
  if (!args.includes('--no-build')) {
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build failed');
  }
  if (!fs.existsSync(path.join(root, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: run npm run build');

  const sourceDir = path.join(root, 'test/integration');
  const outDir = path.join(root, 'out/test/integration');
  fs.rmSync(outDir, { recursive: true, force: true });
  await bundleTests([path.join(sourceDir, 'index.ts'), ...listFiles(sourceDir, '.test.ts')], sourceDir);
  const suites = listFiles(outDir, '.test.js');
  console.log(`integration: ${suites.length} suite(s): ${suites.map((s) => path.relative(outDir, s)).join(', ')}`);
  if (args.includes('--bundle-only')) return 0;
  ensureCodeServer();

  if (grep) process.env.ATTACHE_TEST_GREP = grep;
  const sandbox = createSandbox('integration');
  const port = await freePort();
  let codeServer;
  let browser;
  let result = { code: 1, passed: 0, failed: 0, version: 'unknown' };
  try {
    codeServer = await startCodeServer(sandbox, port, { echo: verbose });
    console.log(`integration: code-server listening on 127.0.0.1:${port} after ${seconds(started)}`);
    // If the extension host dies without reporting (a crash in activation, say), don't wait for the
    // hard timeout: give the report a grace period, then count it as a failure.
    const hostGone = new Promise((resolve) => codeServer.stdout.on('data', (chunk) => {
      if (chunk.toString().includes('Extension Host Process exited')) setTimeout(() => resolve(1), 15_000).unref();
    }));
    browser = await launchChromium();
    const page = await browser.newPage();
    result = await runInWorkbench(page, started, hostGone, workbenchUrl(port, sandbox.workspace, [
      ['extensionDevelopmentPath', root],
      ['extensionTestsPath', path.join(outDir, 'index.js')],
    ]));
  } finally {
    await browser?.close().catch(() => {});
    if (codeServer) await stopProcessTree(codeServer.pid);
    if (result.code !== 0) printLogTail(sandbox.log);
    fs.rmSync(sandbox.dir, { recursive: true, force: true });
  }
  console.log(`integration: VS Code ${result.version} (code-server), ${seconds(started)} in all`);
  console.log(`${result.passed} passed, ${result.failed} failed`);
  return result.code;
}

/** Opens the workbench and resolves with mocha's result once the extension host reports its exit (or dies). */
async function runInWorkbench(page, started, hostGone, url) {
  const result = { code: 1, passed: 0, failed: 0, version: 'unknown' };
  let exited;
  let testsStarted = false;
  let reported = false;
  const exit = new Promise((resolve) => (exited = resolve));
  await page.exposeFunction('codeAutomationLog', (type, message) => {
    const text = Array.isArray(message) ? message.join(' ') : String(message);
    const version = /VS Code (\d+\.\d+\.\d+)/.exec(text);
    if (version) result.version = version[1];
    const counts = /^(\d+) passed, (\d+) failed$/m.exec(text);
    if (counts) {
      [result.passed, result.failed] = [Number(counts[1]), Number(counts[2])];
      reported = true;
    }
    // The workbench's own start-up chatter precedes the first line run() prints (the version).
    if (version && !testsStarted) {
      testsStarted = true;
      console.log(`integration: extension host running the suites after ${seconds(started)}`);
    }
    if (verbose || testsStarted || type === 'error') console.log(type === 'error' ? `[error] ${text}` : text);
  });
  await page.exposeFunction('codeAutomationExit', (code) => exited(code));
  page.on('pageerror', (error) => console.error(`[workbench] ${error.message}`));
  await page.goto(url);
  result.code = await Promise.race([exit, hostGone]);
  console.log(`integration: extension host exited with ${result.code} after ${seconds(started)}`);
  // A host that died before run() printed its counts reports exit 0 all the same: never green.
  if (!reported) {
    console.log('integration: the extension host ended before the suites reported their counts');
    result.code = 1;
  }
  if (result.code !== 0 && result.failed === 0) result.failed = 1;
  return result;
}

cleanUpOnSignals();
const cancelTimeout = hardTimeout(TIMEOUT_MS, 'integration');
main()
  .then((code) => {
    cancelTimeout();
    process.exit(code);
  })
  .catch((error) => {
    console.error(`integration: ${error instanceof Error ? error.stack : error}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  });
