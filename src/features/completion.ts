// Completion inside `[[…`: registry ids, and aliases (which insert `id|alias`, keeping the wording).
// Offered for the entities with a word of their id, name or an alias starting with what is typed, a
// few at a time from the registry's word index (a 50,000-entity registry is never walked whole); the
// list is marked incomplete, so each keystroke asks again with the longer prefix.
import * as vscode from 'vscode';
import type { RegistryEntity } from '../core/types';
import { isArticle } from './documentAnalysis';
import type { AttacheServices } from './services';

const OPEN_LINK = /\[\[([^[\]|\n]*)$/;
/** Entities offered per request: enough to choose from, few enough to build and send at once. */
const ENTITIES_OFFERED = 100;

const KINDS: Record<RegistryEntity['type'], vscode.CompletionItemKind> = {
  person: vscode.CompletionItemKind.User,
  organization: vscode.CompletionItemKind.Module,
  place: vscode.CompletionItemKind.Folder,
  event: vscode.CompletionItemKind.Event,
};

export function registerCompletion(services: AttacheServices): vscode.Disposable {
  const provider: vscode.CompletionItemProvider = {
    provideCompletionItems(document, position) {
      if (!isArticle(document)) return undefined;
      const before = document.lineAt(position.line).text.slice(0, position.character);
      const open = OPEN_LINK.exec(before);
      if (!open) return undefined;
      const after = document.lineAt(position.line).text.slice(position.character);
      const close = after.startsWith(']]') ? '' : ']]';
      const range = new vscode.Range(position.translate(0, -open[1].length), position);
      const items: vscode.CompletionItem[] = [];
      for (const entity of services.registry.entitiesWithWordStarting(open[1], ENTITIES_OFFERED)) {
        const detail = `${entity.name} · ${entity.type}`;
        const id = new vscode.CompletionItem({ label: entity.id, description: detail }, KINDS[entity.type]);
        id.range = range;
        id.insertText = `${entity.id}${close}`;
        id.filterText = [entity.id, entity.name, ...entity.aliases].join(' ');
        id.sortText = `0${entity.name}`;
        items.push(id);
        for (const alias of [entity.name, ...entity.aliases]) {
          const item = new vscode.CompletionItem({ label: alias, description: `→ ${entity.id}` }, KINDS[entity.type]);
          item.range = range;
          item.insertText = `${entity.id}|${alias}${close}`;
          item.filterText = alias;
          item.sortText = `1${alias}`;
          items.push(item);
        }
      }
      return new vscode.CompletionList(items, true);
    },
  };
  return vscode.languages.registerCompletionItemProvider({ language: 'markdown' }, provider, '[');
}
