// The Entities view: every entity of the workspace's articles, by type, with mention counts.
import * as vscode from 'vscode';
import { ENTITY_TYPES, type EntityType } from '../core/types';
import type { AttacheServices, IndexEntry } from './services';

export const TYPE_LABELS: Record<EntityType, { singular: string; plural: string; icon: string }> = {
  person: { singular: 'Person', plural: 'People', icon: 'person' },
  organization: { singular: 'Organization', plural: 'Organizations', icon: 'organization' },
  place: { singular: 'Place', plural: 'Places', icon: 'location' },
  event: { singular: 'Event', plural: 'Events', icon: 'calendar' },
};

/** One entity across the workspace: the same registry id, or the same type and name when unregistered. */
export interface WorkspaceEntity {
  /** Stable across documents: the registry id, or `type:name`. */
  group: string;
  /** What `attache.showMentions` takes: the registry id, or the entity key of its first document. */
  key: string;
  id: string | null;
  name: string;
  type: EntityType;
  mentions: number;
  documents: vscode.Uri[];
}

export function collectEntities(entries: readonly IndexEntry[]): WorkspaceEntity[] {
  const byGroup = new Map<string, WorkspaceEntity>();
  for (const entry of entries) {
    for (const entity of entry.entities) {
      const group = groupOf(entity);
      let found = byGroup.get(group);
      if (!found) {
        found = { group, key: entity.id ?? entity.key, id: entity.id, name: entity.name, type: entity.type, mentions: 0, documents: [] };
        byGroup.set(group, found);
      }
      found.mentions += entity.mentionCount;
      found.documents.push(entry.uri);
    }
  }
  return [...byGroup.values()].sort((a, b) => b.mentions - a.mentions || a.name.localeCompare(b.name));
}

export function groupOf(entity: { id: string | null; type: EntityType; name: string }): string {
  return entity.id ?? `${entity.type}:${entity.name.toLocaleLowerCase()}`;
}

type Node = { kind: 'type'; type: EntityType; entities: WorkspaceEntity[] } | { kind: 'entity'; entity: WorkspaceEntity };

export class EntitiesTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly services: AttacheServices) {
    this.subscription = services.index.onDidChange(() => this.changed.fire());
  }

  getChildren(node?: Node): Node[] {
    if (node?.kind === 'type') return node.entities.map((entity) => ({ kind: 'entity', entity }));
    if (node) return [];
    const all = collectEntities(this.services.index.entries());
    return ENTITY_TYPES.map((type) => ({ kind: 'type' as const, type, entities: all.filter((e) => e.type === type) })).filter(
      (group) => group.entities.length > 0,
    );
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'type') {
      const item = new vscode.TreeItem(TYPE_LABELS[node.type].plural, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `type:${node.type}`;
      item.description = String(node.entities.length);
      item.iconPath = new vscode.ThemeIcon(TYPE_LABELS[node.type].icon);
      return item;
    }
    const { entity } = node;
    const item = new vscode.TreeItem(entity.name, vscode.TreeItemCollapsibleState.None);
    item.id = `entity:${entity.group}`;
    const docs = new Set(entity.documents.map((uri) => uri.toString())).size;
    item.description = `${entity.mentions} mention${entity.mentions === 1 ? '' : 's'}${entity.id ? '' : ' · not in registry'}`;
    // A plain string: names come from documents and must not be rendered as markdown.
    item.tooltip = `${entity.name} (${TYPE_LABELS[entity.type].singular.toLowerCase()}${entity.id ? `, ${entity.id}` : ''}): ${entity.mentions} mentions in ${docs} document${docs === 1 ? '' : 's'}`;
    item.iconPath = new vscode.ThemeIcon(TYPE_LABELS[entity.type].icon);
    item.contextValue = entity.id ? 'attache.registeredEntity' : 'attache.detectedEntity';
    item.command = { command: 'attache.showMentions', title: 'Show Mentions', arguments: [entity.key] };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export function registerEntitiesTree(services: AttacheServices): vscode.Disposable {
  const provider = new EntitiesTreeProvider(services);
  const view = vscode.window.createTreeView('attache.entities', { treeDataProvider: provider, showCollapseAll: true });
  return vscode.Disposable.from(view, provider);
}
