// Go to Definition: a mention, an `[[id]]` link or a registry id → the entity's entry in the registry.
import * as vscode from 'vscode';
import type { AttacheServices } from './services';

export function registerDefinition(services: AttacheServices): vscode.Disposable {
  const provider: vscode.DefinitionProvider = {
    async provideDefinition(document, position) {
      const target = services.targetAt(document, position);
      return target?.id ? services.definitionOf(target.id) : undefined;
    },
  };
  return vscode.languages.registerDefinitionProvider([{ language: 'markdown' }, { language: 'yaml' }], provider);
}
