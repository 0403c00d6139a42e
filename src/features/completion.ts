// Completion inside `[[…`: registry ids, and aliases (which insert `id|alias`, keeping the wording).
import * as vscode from 'vscode';
import type { RegistryEntity } from '../core/types';
import { isArticle } from './documentAnalysis';
import type { AttacheServices } from './services';

const OPEN_LINK = /\[\[([^[\]|\n]*)$/;

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
      for (const entity of services.registry.current.entities) {
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
      return items;
    },
  };
  return vscode.languages.registerCompletionItemProvider({ language: 'markdown' }, provider, '[');
}
