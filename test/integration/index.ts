// The extension-tests entry in @vscode/test-electron's contract: VS Code's extension host loads this
// module (extensionTestsPath) and awaits `run()`. The same entry serves desktop VS Code (test/runTests.ts)
// and code-server (scripts/run-integration.mjs). Suites are the compiled `*.test.js` files next to it.
import fs from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import * as vscode from 'vscode';

function compiledSuites(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.js'))
    .map((name) => path.join(dir, name))
    .sort();
}

export function run(): Promise<void> {
  // The runners read these lines: which VS Code ran, and the final counts.
  console.log(`VS Code ${vscode.version}`);
  // VS Code relays the host's console to the runner unformatted ("%s" and its arguments); format here.
  Mocha.reporters.Base.consoleLog = (...data: unknown[]) => console.log(format(...data));
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  const grep = process.env.ATTACHE_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const file of compiledSuites(__dirname)) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        console.log(`${runner.stats?.passes ?? 0} passed, ${failures} failed`);
        if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
        else resolve();
      });
    } catch (error) {
      console.log('0 passed, 1 failed');
      reject(error);
    }
  });
}
