// Very large and binary documents in a real VS Code: not analysed (so nothing hangs), and the
// analyst gets one message saying why; an ordinary document next to them is still annotated.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AttacheApi } from '../../src/extension';
import type { LimitedDocumentAnalysis } from '../../src/features/documentLimits';

const NAMES = 'Foreign Minister Wang Yi met Interior Minister Mohsin Naqvi in Beijing and agreed to meet every three months.\n\n';

describe('hostile files', function () {
  this.timeout(60_000);
  let analysis: LimitedDocumentAnalysis;

  before(async () => {
    const extension = vscode.extensions.getExtension<AttacheApi>('attache-team.attache');
    assert.ok(extension);
    analysis = (await extension.activate()).services.analysis as LimitedDocumentAnalysis;
  });

  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('does not analyse a document above 8 MB, and answers at once', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: NAMES.repeat(Math.ceil((8.5 * 1024 * 1024) / NAMES.length)) });
    const t0 = Date.now();
    const result = analysis.get(document);
    assert.ok(Date.now() - t0 < 2000, `answered in ${Date.now() - t0} ms`);
    assert.equal(result.mentions.length, 0);
    assert.equal(analysis.refusal(document)?.kind, 'too-large');
  });

  it('does not analyse binary content opened as markdown', async () => {
    const garbage = Array.from({ length: 4000 }, (_, i) => String.fromCharCode((i * 7919) % 32)).join('');
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: garbage + NAMES });
    assert.equal(analysis.get(document).mentions.length, 0);
    assert.equal(analysis.refusal(document)?.kind, 'not-text');
  });

  it('still annotates an ordinary article', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: NAMES });
    assert.equal(analysis.refusal(document), null);
    const mentions = analysis.get(document).mentions.map((m) => m.text);
    assert.ok(mentions.includes('Mohsin Naqvi'), JSON.stringify(mentions));
  });
});
