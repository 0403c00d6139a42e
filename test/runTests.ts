// The portable route for machines that can download desktop VS Code: @vscode/test-electron fetches
// VS Code and runs the same extension-host suites as scripts/run-integration.mjs does under
// code-server. Build first (`npm run build`, then `node scripts/run-integration.mjs --bundle-only`
// compiles the suites into out/test/integration), then: `npx tsx test/runTests.ts`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const extensionTestsPath = path.join(root, 'out/test/integration/index.js');
  if (!fs.existsSync(extensionTestsPath)) {
    throw new Error(`${extensionTestsPath} is missing: run node scripts/run-integration.mjs --bundle-only`);
  }
  // Tests write checklists and registry entries, so they get a copy of the sample workspace.
  const workspaceCopy = fs.mkdtempSync(path.join(os.tmpdir(), 'attache-workspace-'));
  fs.cpSync(path.join(root, 'samples/workspace'), workspaceCopy, { recursive: true });
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: root,
      extensionTestsPath,
      launchArgs: [workspaceCopy, '--disable-extensions'],
    });
  } finally {
    fs.rmSync(workspaceCopy, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
