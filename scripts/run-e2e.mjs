// Browser end-to-end: packages the extension as users get it (.vsix), installs it into a fresh
// code-server, opens a copy of samples/workspace in headless Chromium and plays test/e2e/scenario.ts
// (highlights, hover card, checklist command), saving screenshots to media/screenshots/.
//
// Usage: node scripts/run-e2e.mjs [--no-build] [--verbose]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureCodeServer, vscodeVersion } from './setup-vscode.mjs';
import {
  root, seconds, createSandbox, freePort, startCodeServer, workbenchUrl, launchChromium, bundleTests,
  installVsix, stopProcessTree, hardTimeout, cleanUpOnSignals, printLogTail,
} from './vscode-harness.mjs';

const TIMEOUT_MS = 10 * 60_000;
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const vsix = path.join(root, 'attache.vsix');
const failuresDir = path.join(root, 'out/e2e');

function npm(script) {
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`npm run ${script} failed`);
}

async function main() {
  const started = Date.now();
  if (!args.includes('--no-build')) npm('build');
  fs.rmSync(vsix, { force: true });
  npm('package');
  console.log(`e2e: packaged ${path.relative(root, vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB) after ${seconds(started)}`);
  ensureCodeServer();
  await bundleTests([path.join(root, 'test/e2e/scenario.ts')], path.join(root, 'test/e2e'), ['playwright-core']);
  const { runScenario } = await import(pathToFileURL(path.join(root, 'out/test/e2e/scenario.js')).href);

  const sandbox = createSandbox('e2e');
  let codeServer;
  let browser;
  let result = { passed: 0, failed: 1, skipped: 0 };
  try {
    installVsix(sandbox, vsix);
    const port = await freePort();
    codeServer = await startCodeServer(sandbox, port, { echo: verbose });
    console.log(`e2e: code-server listening on 127.0.0.1:${port} with the .vsix installed, after ${seconds(started)}`);
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.on('pageerror', (error) => console.error(`[workbench] ${error.message}`));
    await page.goto(workbenchUrl(port, sandbox.workspace));
    console.log('  browser scenario');
    result = await runScenario(page, {
      workspace: sandbox.workspace,
      manifest: JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')),
      screenshotsDir: path.join(root, 'media/screenshots'),
      failuresDir,
      log: (line) => console.log(line),
    });
  } finally {
    await browser?.close().catch(() => {});
    if (codeServer) await stopProcessTree(codeServer.pid);
    if (result.failed > 0) printLogTail(sandbox.log);
    fs.rmSync(sandbox.dir, { recursive: true, force: true });
  }
  console.log(`e2e: VS Code ${vscodeVersion()} (code-server), ${seconds(started)} in all`);
  console.log(`${result.passed} passed, ${result.failed} failed`);
  return result.failed > 0 ? 1 : 0;
}

cleanUpOnSignals();
const cancelTimeout = hardTimeout(TIMEOUT_MS, 'e2e');
main()
  .then((code) => {
    cancelTimeout();
    process.exit(code);
  })
  .catch((error) => {
    console.error(`e2e: ${error instanceof Error ? error.stack : error}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  });
