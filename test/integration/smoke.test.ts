// Smoke: the extension under test is the one VS Code loaded, and it activates in a real extension host.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'attache-team.attache';

describe('smoke', () => {
  it('runs inside a real VS Code', () => {
    console.log(`    running in VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.appHost})`);
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
  });

  it(`activates ${EXTENSION_ID}`, async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded; is extensionDevelopmentPath the repo root?`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('opens the sample workspace', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, 'expected the sample workspace copy as the only folder');
  });
});
