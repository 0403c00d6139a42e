// Edits of the registry YAML (new entries, id renames) that keep the analysts' comments and layout.
// An open registry file is edited through a WorkspaceEdit (undoable); a closed one is rewritten
// atomically, and never over a change made on disk since we read it (AtomicFiles). Nothing is
// written in an untrusted workspace (WriteGuard).
import * as vscode from 'vscode';
import { parseExplicitLinks } from '../core/links';
import { readProse } from '../core/markdown';
import { addEntity, renameEntityId, suggestId } from '../core/registryEdit';
import type { DocEntity } from '../core/types';
import type { EntityEntry } from '../core/registry';
import type { Target } from './documentAnalysis';
import { LineStarts, minimalEdit, spanToRange, type OffsetMapper } from './convert';
import type { AtomicFiles } from './fileWrites';
import { readText, type RegistryStore } from './registryStore';
import type { WriteGuard } from './trust';
import type { WorkspaceIndex } from './workspaceIndex';

/** A registry entry to add; the id is derived from the name when absent. */
export type NewEntity = Omit<EntityEntry, 'id'> & { id?: string };

/** The prefilled entry for an unregistered entity: its name, type, title as a role, and country from the text. */
export function draftFor(target: Target, entity: DocEntity | undefined): NewEntity {
  const title = target.mention?.title ?? entity?.title;
  return {
    name: entity?.name ?? target.mention?.text ?? target.key,
    type: target.mention?.type ?? entity?.type ?? 'person',
    ...(entity?.country ? { country: entity.country } : {}),
    ...(title ? { roles: [{ title }] } : {}),
  };
}

const ID_SHAPE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export class RegistryWriter {
  constructor(
    private readonly registry: RegistryStore,
    private readonly index: WorkspaceIndex,
    private readonly writes: WriteGuard,
    private readonly files: AtomicFiles,
  ) {}

  /** Adds an entry to the first registry file (created when missing). Returns whether it was written. */
  async addEntity(entry: NewEntity): Promise<boolean> {
    if (!this.writes.allows('the registry entry')) return false;
    const file = this.registry.primaryFile;
    if (!file) {
      void vscode.window.showWarningMessage('Attaché: open a folder first; the registry lives in the workspace.');
      return false;
    }
    const complete = this.withId(entry);
    const open = openDocument(file);
    if (open) {
      const edit = new vscode.WorkspaceEdit();
      const change = minimalEdit(open, open.getText(), addEntity(open.getText(), complete));
      if (change) edit.replace(file, change.range, change.newText);
      return vscode.workspace.applyEdit(edit);
    }
    await this.files.update(file, (text) => addEntity(text ?? '', complete));
    await this.registry.reload();
    return true;
  }

  /** The same addition as an edit, for a quick fix; null when nothing may be written. */
  async addEntityEdit(entry: NewEntity): Promise<vscode.WorkspaceEdit | null> {
    const file = this.registry.primaryFile;
    if (!this.writes.trusted || !file) return null;
    const before = (await readText(file)) ?? '';
    const after = addEntity(before, this.withId(entry));
    const edit = new vscode.WorkspaceEdit();
    if (!this.registry.isRegistryFile(file) && !openDocument(file)) {
      edit.createFile(file, { ignoreIfExists: true });
      edit.insert(file, new vscode.Position(0, 0), after);
      return edit;
    }
    const change = minimalEdit(mapperFor(file, before), before, after);
    if (change) edit.replace(file, change.range, change.newText);
    return edit;
  }

  /** Why `newId` cannot replace `oldId`, or undefined when it can. */
  checkRename(oldId: string, newId: string): string | undefined {
    const untrusted = this.writes.refusal('the renamed id');
    if (untrusted) return untrusted;
    if (!this.registry.current.byId.has(oldId)) return `\`${oldId}\` is not a registry id.`;
    if (!ID_SHAPE.test(newId)) return `\`${newId}\` is not a valid id: use lowercase letters, digits and single hyphens (kebab-case).`;
    if (newId !== oldId && this.registry.current.byId.has(newId)) return `The registry already has an entity with id \`${newId}\`.`;
    return undefined;
  }

  /** Renaming an id: the registry files (the entry and every `org:` reference) and every `[[id…]]` link. */
  async renameEdit(oldId: string, newId: string): Promise<vscode.WorkspaceEdit> {
    const problem = this.checkRename(oldId, newId);
    if (problem) throw new Error(problem);
    const edit = new vscode.WorkspaceEdit();
    for (const file of this.registry.files) {
      const before = await readText(file);
      if (before === null) continue;
      const change = minimalEdit(mapperFor(file, before), before, renameEntityId(before, oldId, newId));
      if (change) edit.replace(file, change.range, change.newText);
    }
    await this.index.ready;
    for (const uri of this.index.documentsMentioning(oldId)) {
      const text = await readText(uri);
      if (text === null) continue;
      const doc = mapperFor(uri, text);
      for (const link of parseExplicitLinks(readProse(text).prose)) {
        if (link.id === oldId) edit.replace(uri, spanToRange(doc, link.idSpan), newId);
      }
    }
    return edit;
  }

  async renameId(oldId: string, newId: string): Promise<boolean> {
    return vscode.workspace.applyEdit(await this.renameEdit(oldId, newId));
  }

  private withId(entry: NewEntity): NewEntity & { id: string } {
    if (entry.id) return { ...entry, id: entry.id };
    const base = suggestId(entry.name);
    let id = base;
    for (let n = 2; this.registry.current.byId.has(id); n++) id = `${base}-${n}`;
    return { ...entry, id };
  }
}

function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
}

/** Offsets of `text` (read by readText) as positions in `uri`: the open document's own mapping when it is open. */
function mapperFor(uri: vscode.Uri, text: string): OffsetMapper {
  return openDocument(uri) ?? LineStarts.of(text);
}
