// Quick fixes for our diagnostics: add an unregistered official to the registry (prefilled from the
// text), settle an ambiguous short name with an explicit `[[id|text]]` link, regenerate a stale checklist.
import * as vscode from 'vscode';
import type { ScanResult } from '../core/types';
import { articleUriFor } from './checklistWriter';
import { spanToRange } from './convert';
import { Codes, isAmbiguous } from './diagnostics';
import { isArticle } from './documentAnalysis';
import { draftFor } from './registryWriter';
import type { AttacheServices } from './services';

export class AttacheCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly services: AttacheServices) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.code === Codes.unregistered && isArticle(document)) actions.push(...(await this.addToRegistry(document, d)));
      else if (d.code === Codes.ambiguous && isArticle(document)) actions.push(...this.pickEntity(document, d));
      else if (d.code === Codes.staleChecklist) actions.push(...this.regenerate(document, d));
    }
    return actions;
  }

  private async addToRegistry(document: vscode.TextDocument, d: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
    const result = this.services.analysis.get(document);
    const entity = result.entities.find((e) => e.mentions[0] && spanToRange(document, e.mentions[0]).isEqual(d.range));
    if (!entity) return [];
    const draft = draftFor({ id: null, key: entity.key, range: d.range, mention: entity.mentions.find((m) => m.title) ?? entity.mentions[0] }, entity);
    const edit = await this.services.registryWriter.addEntityEdit(draft);
    if (!edit) return [];
    const action = new vscode.CodeAction(`Add “${draft.name}” to the registry`, vscode.CodeActionKind.QuickFix);
    action.edit = edit;
    action.diagnostics = [d];
    action.isPreferred = true;
    return [action];
  }

  /** One action per registered candidate: replace the mention by an explicit link to it. */
  private pickEntity(document: vscode.TextDocument, d: vscode.Diagnostic): vscode.CodeAction[] {
    const result: ScanResult = this.services.analysis.get(document);
    const mention = result.mentions.find((m) => isAmbiguous(m) && spanToRange(document, m).isEqual(d.range));
    if (!mention) return [];
    const registry = this.services.registry.current;
    return (mention.candidates ?? []).flatMap((key) => {
      const id = result.entities.find((e) => e.key === key)?.id ?? (registry.byId.has(key) ? key : null);
      const name = id ? (registry.byId.get(id)?.name ?? id) : undefined;
      if (!id || !name) return [];
      const action = new vscode.CodeAction(`“${mention.text}” is ${name}: link [[${id}]]`, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, d.range, `[[${id}|${mention.text}]]`);
      action.diagnostics = [d];
      return [action];
    });
  }

  private regenerate(document: vscode.TextDocument, d: vscode.Diagnostic): vscode.CodeAction[] {
    const article = articleUriFor(document.uri);
    if (!article) return [];
    const action = new vscode.CodeAction('Regenerate the checklist from its article', vscode.CodeActionKind.QuickFix);
    action.command = { command: 'attache.generateChecklist', title: 'Regenerate checklist', arguments: [article] };
    action.diagnostics = [d];
    action.isPreferred = true;
    return [action];
  }
}

export function registerCodeActions(services: AttacheServices): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider({ language: 'markdown' }, new AttacheCodeActions(services), {
    providedCodeActionKinds: AttacheCodeActions.kinds,
  });
}
