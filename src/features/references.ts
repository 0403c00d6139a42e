// Find All References: every mention of the entity in the workspace's articles (the open document's
// live state in place of its indexed one), plus its registry entry when the declaration is asked for.
import * as vscode from 'vscode';
import { spanToRange } from './convert';
import { isArticle } from './documentAnalysis';
import type { AttacheServices } from './services';

export function registerReferences(services: AttacheServices): vscode.Disposable {
  const provider: vscode.ReferenceProvider = {
    async provideReferences(document, position, context) {
      const target = services.targetAt(document, position);
      if (!target) return undefined;
      const idOrKey = target.id ?? target.key;
      await services.index.ready;
      let locations = services.index.mentionsOf(idOrKey);
      if (isArticle(document)) {
        const here = document.uri.toString();
        locations = locations.filter((l) => l.uri.toString() !== here);
        for (const m of services.analysis.get(document).mentions) {
          if (m.id === idOrKey || m.entity === idOrKey) locations.push(new vscode.Location(document.uri, spanToRange(document, m)));
        }
      }
      const declaration = context.includeDeclaration && target.id ? await services.definitionOf(target.id) : undefined;
      return declaration ? [declaration, ...locations] : locations;
    },
  };
  return vscode.languages.registerReferenceProvider([{ language: 'markdown' }, { language: 'yaml' }], provider);
}
