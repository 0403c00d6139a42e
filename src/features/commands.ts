// Attaché's palette commands: small classes `{ id; execute(...) }` registered by one manager.
import * as vscode from 'vscode';
import { ENTITY_TYPES } from '../core/types';
import type { ChecklistWriter } from './checklistWriter';
import { TYPE_LABELS } from './entitiesTree';
import type { AttacheServices, NewEntity } from './services';

export interface Command {
  readonly id: string;
  execute(...args: unknown[]): unknown;
}

export class CommandManager implements vscode.Disposable {
  private readonly registered = new Map<string, vscode.Disposable>();

  register<T extends Command>(command: T): T {
    this.registered.get(command.id)?.dispose();
    this.registered.set(command.id, vscode.commands.registerCommand(command.id, (...args: unknown[]) => command.execute(...args)));
    return command;
  }

  dispose(): void {
    for (const registration of this.registered.values()) registration.dispose();
    this.registered.clear();
  }
}

/** The markdown document a command is about: its argument when given (a Uri from a menu), else the active editor's. */
export async function targetArticle(arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  const document = vscode.window.activeTextEditor?.document;
  if (document?.languageId === 'markdown') return document;
  void vscode.window.showInformationMessage('Attaché: open a markdown article first.');
  return undefined;
}

export class GenerateChecklistCommand implements Command {
  readonly id = 'attache.generateChecklist';
  constructor(private readonly writer: ChecklistWriter) {}

  /** Returns the checklist's Uri, or undefined when nothing was written. */
  async execute(arg?: unknown): Promise<vscode.Uri | undefined> {
    const article = await targetArticle(arg);
    if (!article) return undefined;
    let checklist: vscode.Uri | undefined;
    try {
      checklist = await this.writer.generate(article);
    } catch (e) {
      void vscode.window.showErrorMessage(`Attaché: the checklist was not written: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    if (checklist) await vscode.window.showTextDocument(checklist, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    return checklist;
  }
}

export class RegenerateAllChecklistsCommand implements Command {
  readonly id = 'attache.regenerateAllChecklists';
  constructor(private readonly writer: ChecklistWriter) {}

  /** Returns the checklists it rewrote. */
  async execute(): Promise<vscode.Uri[]> {
    const written = await this.writer.regenerateAll();
    void vscode.window.showInformationMessage(`Attaché: regenerated ${written.length} checklist${written.length === 1 ? '' : 's'}.`);
    return written;
  }
}

export class OpenRegistryCommand implements Command {
  readonly id = 'attache.openRegistry';
  constructor(private readonly services: AttacheServices) {}

  async execute(): Promise<vscode.TextEditor | undefined> {
    const files = this.services.registry.files;
    let file: vscode.Uri | undefined = files[0];
    if (files.length > 1) {
      const picked = await vscode.window.showQuickPick(
        files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
        { title: 'Open which registry file?' },
      );
      file = picked?.uri;
    }
    if (!file) {
      void vscode.window.showInformationMessage('Attaché: no registry file found. Create `.attache/registry.yaml` or set `attache.registry.files`.');
      return undefined;
    }
    return vscode.window.showTextDocument(file, { preview: false });
  }
}

export class OpenRegistryEntryCommand implements Command {
  readonly id = 'attache.openRegistryEntry';
  constructor(private readonly services: AttacheServices) {}

  async execute(id?: unknown): Promise<vscode.TextEditor | undefined> {
    const entity = typeof id === 'string' ? this.services.registry.current.byId.get(id) : undefined;
    if (!entity) {
      void vscode.window.showWarningMessage(`Attaché: no registry entry with id \`${String(id)}\`.`);
      return undefined;
    }
    const line = entity.source.start.line - 1;
    const at = new vscode.Range(line, 0, line, 0);
    return vscode.window.showTextDocument(registryFileUri(entity.source.file), { selection: at, preview: false });
  }
}

/** Registry sources name their file as a URI string or a plain path. */
export function registryFileUri(file: string): vscode.Uri {
  return /^[a-z][a-z0-9+.-]+:\/\//i.test(file) ? vscode.Uri.parse(file) : vscode.Uri.file(file);
}

export class AddSelectionToRegistryCommand implements Command {
  readonly id = 'attache.addSelectionToRegistry';
  constructor(private readonly services: AttacheServices) {}

  /**
   * Asks for the type (and lets the analyst correct the name) unless both are given,
   * which is how tests and other commands call it. Returns whether the entry was written.
   */
  async execute(presetType?: unknown, presetName?: unknown): Promise<boolean> {
    if (!this.services.writes.allows('the registry entry')) return false;
    const editor = vscode.window.activeTextEditor;
    const selected = editor ? editor.document.getText(editor.selection).replace(/\s+/g, ' ').trim() : '';
    let name = typeof presetName === 'string' ? presetName.trim() : selected;
    if (!name) {
      void vscode.window.showInformationMessage('Attaché: select a name in the article first.');
      return false;
    }
    let type = ENTITY_TYPES.find((t) => t === presetType);
    if (!type) {
      const picked = await vscode.window.showQuickPick(
        ENTITY_TYPES.map((t) => ({ label: TYPE_LABELS[t].singular, type: t })),
        { title: `Add “${name}” to the registry as …` },
      );
      if (!picked) return false;
      type = picked.type;
      const edited = await vscode.window.showInputBox({
        title: 'Canonical name',
        value: name,
        validateInput: (value) => (value.trim() ? undefined : 'The name cannot be empty.'),
      });
      if (edited === undefined) return false;
      name = edited.trim();
    }
    const written = await this.services.registryWriter.addEntity({ name, type });
    if (written) void vscode.window.showInformationMessage(`Attaché: added “${name}” to the registry.`);
    return written;
  }
}

/** Entities offered when asking which one to show: the quick pick filters them as the analyst types. */
const PICK_LIMIT = 5000;

export class ShowMentionsCommand implements Command {
  readonly id = 'attache.showMentions';
  constructor(private readonly services: AttacheServices) {}

  /** Shows every mention of an entity (registry id or document entity key); asks which entity when none is given. */
  async execute(arg?: unknown): Promise<vscode.Location[]> {
    await this.services.index.ready;
    const key = typeof arg === 'string' ? arg : await this.pickEntity();
    if (!key) return [];
    const locations = this.services.index.mentionsOf(key);
    if (locations.length === 0) {
      void vscode.window.showInformationMessage(`Attaché: no mentions of \`${key}\` in the workspace.`);
      return locations;
    }
    const editor = vscode.window.activeTextEditor;
    if (editor) {
      await vscode.commands.executeCommand('editor.action.showReferences', editor.document.uri, editor.selection.active, locations);
    } else {
      const first = locations[0];
      await vscode.window.showTextDocument(first.uri, { selection: first.range });
      await vscode.commands.executeCommand('editor.action.showReferences', first.uri, first.range.start, locations);
    }
    return locations;
  }

  /** Offers the most mentioned entities from the index's summaries (a walk over every article would stall the host at 10,000). */
  private async pickEntity(): Promise<string | undefined> {
    const items = this.services.index.topEntities(PICK_LIMIT).map((entity) => ({
      label: entity.name,
      description: `${TYPE_LABELS[entity.type].singular} · ${entity.mentions} mention${entity.mentions === 1 ? '' : 's'}`,
      detail: entity.id ?? undefined,
      key: entity.id ?? entity.key,
    }));
    const picked = await vscode.window.showQuickPick(items, { title: 'Show mentions of which entity?', matchOnDescription: true, matchOnDetail: true });
    return picked?.key;
  }
}

/** A registry draft from a hover link, checked field by field: command arguments are untrusted input. */
export function parseDraft(payload: unknown): NewEntity | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as Record<string, unknown>;
  const type = ENTITY_TYPES.find((t) => t === p.type);
  if (typeof p.name !== 'string' || !p.name.trim() || !type) return undefined;
  const roles = Array.isArray(p.roles)
    ? p.roles.flatMap((r: unknown) => {
        const role = r as Record<string, unknown> | null;
        return role && typeof role.title === 'string' && role.title.trim() ? [{ title: role.title.trim() }] : [];
      })
    : [];
  return {
    name: p.name.trim(),
    type,
    ...(typeof p.country === 'string' && /^[A-Za-z]{2}$/.test(p.country) ? { country: p.country.toUpperCase() } : {}),
    ...(roles.length > 0 ? { roles } : {}),
  };
}

export class AddToRegistryCommand implements Command {
  readonly id = 'attache.addToRegistry';
  constructor(private readonly services: AttacheServices) {}

  async execute(payload?: unknown): Promise<boolean> {
    const draft = parseDraft(payload);
    if (!draft) {
      void vscode.window.showWarningMessage('Attaché: nothing to add to the registry.');
      return false;
    }
    const written = await this.services.registryWriter.addEntity(draft);
    if (written) void vscode.window.showInformationMessage(`Attaché: added “${draft.name}” to the registry.`);
    return written;
  }
}

export class PickEntityCommand implements Command {
  readonly id = 'attache.pickEntity';
  constructor(private readonly services: AttacheServices) {}

  /**
   * For the ambiguous short name at the cursor: asks which registered entity is meant and writes an
   * explicit `[[id|text]]` link. `choice` (a registry id) skips the question. Returns whether it linked.
   */
  async execute(choice?: unknown): Promise<boolean> {
    const editor = vscode.window.activeTextEditor;
    const target = editor && this.services.analysis.targetAt(editor.document, editor.selection.active);
    const mention = target?.mention;
    if (!editor || !target || !mention?.candidates?.length) {
      void vscode.window.showInformationMessage('Attaché: put the cursor on an ambiguous name first.');
      return false;
    }
    if (!this.services.writes.allows('the link')) return false;
    const registry = this.services.registry.current;
    const entities = this.services.analysis.get(editor.document).entities;
    const options = mention.candidates.flatMap((key) => {
      const id = entities.find((e) => e.key === key)?.id ?? (registry.byId.has(key) ? key : null);
      const entity = id ? registry.byId.get(id) : undefined;
      return entity ? [{ label: entity.name, description: entity.id, detail: entity.roles.map((r) => r.title).join('; ') || undefined, id: entity.id }] : [];
    });
    const id =
      typeof choice === 'string'
        ? options.find((o) => o.id === choice)?.id
        : (await vscode.window.showQuickPick(options, { title: `Which entity is “${mention.text}”?` }))?.id;
    if (!id) return false;
    return editor.edit((b) => b.replace(target.range, `[[${id}|${mention.text}]]`));
  }
}
