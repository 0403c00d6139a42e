// The status-bar item: the active article's entity and commitment counts; click → Entities view.
import * as vscode from 'vscode';
import { isArticle } from './documentAnalysis';
import type { AttacheServices } from './services';

export function registerStatusBar(services: AttacheServices): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('attache.counts', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Attaché';
  item.command = 'attache.entities.focus';

  const update = (): void => {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || !isArticle(document)) {
      item.hide();
      return;
    }
    const result = services.analysis.get(document);
    const entities = result.entities.length;
    const commitments = result.commitments.length;
    item.text = `${result.prose.fallback ? '$(warning) ' : ''}$(person) ${entities} $(checklist) ${commitments}`;
    item.tooltip =
      `Attaché: ${entities} entit${entities === 1 ? 'y' : 'ies'}, ${commitments} commitment${commitments === 1 ? '' : 's'} in this article.` +
      (result.prose.fallback ? '\nPart of the markdown was too costly to parse fully and was read by the simple fallback reader.' : '') +
      '\nClick to open the Entities view.';
    item.show();
  };

  update();
  return vscode.Disposable.from(
    item,
    vscode.window.onDidChangeActiveTextEditor(update),
    services.analysis.onDidChange((uri) => {
      if (uri.toString() === vscode.window.activeTextEditor?.document.uri.toString()) update();
    }),
  );
}
