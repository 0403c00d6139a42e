// CodeLens above each commitment: its kind, due date and recurrence, and whether the article's
// checklist already has it (a click opens the checklist, or generates it).
import * as vscode from 'vscode';
import { commitmentIds, describeRecurrence, parseChecklist } from '../core/checklist';
import type { Commitment } from '../core/types';
import { checklistUriFor } from './checklistWriter';
import { spanToRange } from './convert';
import { isArticle, isChecklist } from './documentAnalysis';
import { readText } from './registryStore';
import type { AttacheServices } from './services';

export function describeCommitment(c: Commitment): string {
  const parts: string[] = [c.kind];
  if (c.due) parts.push(`due ${c.due}`);
  if (c.recurrence) parts.push(describeRecurrence(c.recurrence));
  return parts.join(' · ');
}

export class CommitmentLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly services: AttacheServices) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.checklist.md');
    const checklistChanged = (): void => this.changed.fire();
    this.subscriptions = [
      this.changed,
      watcher,
      watcher.onDidCreate(checklistChanged),
      watcher.onDidChange(checklistChanged),
      watcher.onDidDelete(checklistChanged),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (isChecklist(e.document.uri) && e.contentChanges.length > 0) checklistChanged();
      }),
      services.analysis.onDidChange(() => this.changed.fire()),
      // An article opened just as the side bar changes (the Attaché views opening, say) is sometimes
      // never asked for its lenses by VS Code: asking again once it shows makes them appear.
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        if (editors.some((e) => isArticle(e.document))) this.changed.fire();
      }),
    ];
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!isArticle(document)) return [];
    const { commitments } = this.services.analysis.get(document);
    if (commitments.length === 0) return [];
    const checklist = checklistUriFor(document.uri);
    const onList = await this.itemsOn(checklist);
    const ids = commitmentIds(commitments);
    const lenses: vscode.CodeLens[] = [];
    commitments.forEach((c, i) => {
      const range = spanToRange(document, c);
      lenses.push(new vscode.CodeLens(range, { title: `$(checklist) ${describeCommitment(c)}`, command: '', tooltip: c.actors.join(', ') }));
      const line = onList?.get(ids[i]);
      lenses.push(
        line !== undefined
          ? new vscode.CodeLens(range, {
              title: 'on checklist ✓',
              command: 'vscode.open',
              arguments: [checklist, { selection: new vscode.Range(line - 1, 0, line - 1, 0) } satisfies vscode.TextDocumentShowOptions],
              tooltip: 'Open the item on the checklist',
            })
          : new vscode.CodeLens(range, {
              title: 'not on checklist',
              command: 'attache.generateChecklist',
              arguments: [document.uri],
              tooltip: onList ? 'Regenerate the checklist to add it' : 'Generate the checklist',
            }),
      );
    });
    return lenses;
  }

  /** Item id → its 1-based line on the checklist; null when there is no checklist. Read afresh: lenses are asked for rarely. */
  private async itemsOn(checklist: vscode.Uri): Promise<Map<string, number> | null> {
    const text = await readText(checklist);
    if (text === null) return null;
    return new Map(parseChecklist(text).items.filter((item) => !item.vanished).map((item) => [item.id, item.line]));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

export function registerCodeLens(services: AttacheServices): vscode.Disposable {
  const provider = new CommitmentLensProvider(services);
  return vscode.Disposable.from(
    provider,
    vscode.languages.registerCodeLensProvider({ language: 'markdown' }, provider),
  );
}
