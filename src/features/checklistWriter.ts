// Writes an article's commitment checklist beside it without ever losing the analyst's ticks and notes:
// the regenerated checklist is merged into the existing one, through an undoable WorkspaceEdit when the
// checklist is open, else atomically on disk (AtomicFiles) — re-merging when the file changed while we worked.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { mergeChecklist, renderChecklist } from '../core/checklist';
import { minimalEdit } from './convert';
import { isChecklist } from './documentAnalysis';
import type { AttacheServices } from './services';

const CHECKLIST_SUFFIX = '.checklist.md';

/** `<dir>/<name>.checklist.md` beside `<dir>/<name>.md` (the `attache.checklist.location` "beside"). */
export function checklistUriFor(article: vscode.Uri): vscode.Uri {
  const base = path.posix.basename(article.path).replace(/\.(md|markdown)$/i, '');
  return vscode.Uri.joinPath(article, '..', base + CHECKLIST_SUFFIX);
}

/** The article a checklist was generated beside, when it follows our naming. */
export function articleUriFor(checklist: vscode.Uri): vscode.Uri | undefined {
  if (!isChecklist(checklist)) return undefined;
  const base = path.posix.basename(checklist.path).slice(0, -CHECKLIST_SUFFIX.length);
  return vscode.Uri.joinPath(checklist, '..', base + '.md');
}

export class ChecklistWriter {
  constructor(private readonly services: AttacheServices) {}

  /** The checklist for `article`, rendered fresh from its current text. */
  async render(article: vscode.TextDocument, checklist: vscode.Uri): Promise<string> {
    const result = await this.services.analysis.current(article);
    const relative = path.posix.relative(path.posix.dirname(checklist.path), article.uri.path);
    return renderChecklist({
      articlePath: relative,
      articleText: article.getText(),
      date: result.date,
      commitments: result.commitments,
      entities: result.entities,
    });
  }

  /** Generates or refreshes the checklist beside `article`; returns its Uri, or undefined when refused. */
  async generate(article: vscode.TextDocument): Promise<vscode.Uri | undefined> {
    if (!this.services.writes.allows('the checklist')) return undefined;
    if (isChecklist(article.uri)) {
      void vscode.window.showInformationMessage('Attaché: this is a checklist; generate it from its article.');
      return undefined;
    }
    const target = checklistUriFor(article.uri);
    const regenerated = await this.render(article, target);
    await this.write(target, (existing) => (existing === undefined ? regenerated : mergeChecklist(existing, regenerated)));
    return target;
  }

  /** Refreshes every checklist that sits beside its article, with progress; returns the checklists written. */
  async regenerateAll(): Promise<vscode.Uri[]> {
    if (!this.services.writes.allows('the checklists')) return [];
    const checklists = await vscode.workspace.findFiles(`**/*${CHECKLIST_SUFFIX}`, '**/node_modules/**');
    const written: vscode.Uri[] = [];
    const failed: string[] = [];
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Attaché: regenerating checklists', cancellable: true },
      async (progress, token) => {
        for (const checklist of checklists) {
          if (token.isCancellationRequested) break;
          progress.report({ message: vscode.workspace.asRelativePath(checklist), increment: 100 / checklists.length });
          const article = articleUriFor(checklist);
          if (!article || (await this.services.files.read(article)) === undefined) continue;
          try {
            const uri = await this.generate(await vscode.workspace.openTextDocument(article));
            if (uri) written.push(uri);
          } catch (e) {
            failed.push(`${vscode.workspace.asRelativePath(checklist)} (${e instanceof Error ? e.message : String(e)})`);
          }
        }
      },
    );
    if (failed.length > 0) void vscode.window.showErrorMessage(`Attaché: not regenerated: ${failed.join('; ')}`);
    return written;
  }

  /** Applies `update` to the file's current content, wherever that content lives. */
  private async write(target: vscode.Uri, update: (existing: string | undefined) => string): Promise<void> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
    if (open) return this.editOpen(open, update);
    await this.services.files.update(target, update);
  }

  /** An undoable edit of the open checklist; saved when it had no unsaved changes of the analyst's. */
  private async editOpen(document: vscode.TextDocument, update: (existing: string) => string): Promise<void> {
    const wasDirty = document.isDirty;
    const before = document.getText();
    const edit = minimalEdit(document, before, update(before));
    if (!edit) return;
    const workspaceEdit = new vscode.WorkspaceEdit();
    workspaceEdit.set(document.uri, [edit]);
    if (!(await vscode.workspace.applyEdit(workspaceEdit))) throw new Error(`Could not edit ${vscode.workspace.asRelativePath(document.uri)}.`);
    if (!wasDirty) await document.save();
  }
}
