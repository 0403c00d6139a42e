// Rename (F2) of a registry id, from a mention, an `[[id]]` link or the registry entry itself: the
// entry's id, every `org:` reference to it and every explicit link in the workspace change together.
import * as vscode from 'vscode';
import type { AttacheServices } from './services';

export function registerRename(services: AttacheServices): vscode.Disposable {
  const provider: vscode.RenameProvider = {
    prepareRename(document, position) {
      const target = services.targetAt(document, position);
      if (!target) throw new Error('Rename works on an entity: a highlighted mention, an [[id]] link or a registry id.');
      if (!target.id || !services.registry.current.byId.has(target.id)) {
        throw new Error(`“${target.mention?.text ?? target.key}” is not in the registry, so it has no id to rename. Add it to the registry first.`);
      }
      if (!services.isTrusted()) throw new Error('Renaming edits the registry, which is read-only in an untrusted workspace.');
      return { range: target.range, placeholder: target.id };
    },
    async provideRenameEdits(document, position, newName) {
      const target = services.targetAt(document, position);
      if (!target?.id) return undefined;
      return services.registryWriter.renameEdit(target.id, newName.trim());
    },
  };
  return vscode.languages.registerRenameProvider([{ language: 'markdown' }, { language: 'yaml' }], provider);
}
