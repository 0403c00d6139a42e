// What every editor feature shares: the registry, per-document analysis, the workspace index and
// the registry writer. Built once in `activate`, disposed with the extension.
import * as vscode from 'vscode';
import { spanToRange } from './convert';
import { DocumentAnalysis, isArticle, type Target } from './documentAnalysis';
import { LimitedDocumentAnalysis } from './documentLimits';
import { AtomicFiles } from './fileWrites';
import { RegistryStore } from './registryStore';
import { RegistryWriter } from './registryWriter';
import { WriteGuard } from './trust';
import { WorkspaceIndex } from './workspaceIndex';

export type { IndexEntry } from './workspaceIndex';
export type { NewEntity } from './registryWriter';
export type { Target };

export class AttacheServices implements vscode.Disposable {
  readonly registry: RegistryStore;
  readonly analysis: DocumentAnalysis;
  readonly index: WorkspaceIndex;
  readonly registryWriter: RegistryWriter;
  /** Every write (checklist, registry, link, export) asks this first: nothing is written in Restricted Mode. */
  readonly writes = new WriteGuard(
    () => vscode.workspace.isTrusted,
    (message) => void vscode.window.showWarningMessage(message),
  );
  /** Writes of closed files: atomic, and never over a change made on disk meanwhile. */
  readonly files = new AtomicFiles(vscode.workspace.fs);

  /**
   * `storage`: where the workspace index keeps its cache between sessions (the extension's workspace
   * storage); `indexWorker`: the bundled worker script that scans files off the main thread.
   */
  constructor(options: { storage?: vscode.Uri; indexWorker?: string } = {}) {
    this.registry = new RegistryStore();
    // Very large and binary documents are not analysed; the analyst is told once per document.
    this.analysis = new LimitedDocumentAnalysis(this.registry, (message) => void vscode.window.showWarningMessage(message));
    this.index = new WorkspaceIndex(this.registry, this.analysis, options.storage, options.indexWorker);
    this.registryWriter = new RegistryWriter(this.registry, this.index, this.writes, this.files);
  }

  /**
   * The entity under the cursor: a mention or `[[id]]` link in an article, or an entry's `id:` value
   * in a registry file.
   */
  targetAt(document: vscode.TextDocument, position: vscode.Position): Target | undefined {
    if (isArticle(document)) return this.analysis.targetAt(document, position);
    if (!this.registry.isRegistryFile(document.uri)) return undefined;
    const entity = this.registry.entityDefinedAt(document, position);
    return entity ? { id: entity.id, key: entity.id, range: spanToRange(document, entity.source.idSpan) } : undefined;
  }

  /** Where a registry entity is defined: its `id:` value in its file. */
  async definitionOf(id: string): Promise<vscode.Location | undefined> {
    const entity = this.registry.current.byId.get(id);
    if (!entity) return undefined;
    const uri = vscode.Uri.parse(entity.source.file);
    const document = await vscode.workspace.openTextDocument(uri);
    return new vscode.Location(uri, spanToRange(document, entity.source.idSpan));
  }

  /** Writing files (checklists, registry entries) needs a trusted workspace; reading never does. */
  isTrusted(): boolean {
    return this.writes.trusted;
  }

  dispose(): void {
    this.index.dispose();
    this.analysis.dispose();
    this.registry.dispose();
  }
}
