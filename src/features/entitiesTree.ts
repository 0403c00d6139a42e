// The Entities view: every entity of the workspace's articles, by type, with mention counts. The
// counts are the index's, kept current per file; a type's entities are listed a page at a time (the
// most mentioned first), so a workspace of 10,000 articles never builds a list of all its names.
import * as vscode from 'vscode';
import { ENTITY_TYPES, type EntityType } from '../core/types';
import type { EntitySummary } from '../workers/fileIndex';
import type { AttacheServices } from './services';

export const TYPE_LABELS: Record<EntityType, { singular: string; plural: string; icon: string }> = {
  person: { singular: 'Person', plural: 'People', icon: 'person' },
  organization: { singular: 'Organization', plural: 'Organizations', icon: 'organization' },
  place: { singular: 'Place', plural: 'Places', icon: 'location' },
  event: { singular: 'Event', plural: 'Events', icon: 'calendar' },
};

/** Entities listed per expansion of a type (or of its "more" node). */
const PAGE = 200;

type Node =
  | { kind: 'type'; type: EntityType; count: number }
  | { kind: 'entity'; entity: EntitySummary }
  /** The rest of a type's entities, after the first `shown`. */
  | { kind: 'more'; type: EntityType; shown: number; left: number };

export class EntitiesTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly services: AttacheServices) {
    this.subscription = services.index.onDidChange(() => this.changed.fire());
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      const counts = this.services.index.entityGroupCounts();
      return ENTITY_TYPES.map((type, i) => ({ kind: 'type' as const, type, count: counts[i] })).filter((group) => group.count > 0);
    }
    if (node.kind === 'entity') return [];
    const [type, count, shown] = node.kind === 'type' ? [node.type, node.count, 0] : [node.type, node.shown + node.left, node.shown];
    const page: Node[] = this.services.index
      .topEntities(shown + PAGE, type)
      .slice(shown)
      .map((entity) => ({ kind: 'entity', entity }));
    if (count > shown + PAGE) page.push({ kind: 'more', type, shown: shown + PAGE, left: count - shown - PAGE });
    return page;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'type') {
      const item = new vscode.TreeItem(TYPE_LABELS[node.type].plural, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `type:${node.type}`;
      item.description = String(node.count);
      item.iconPath = new vscode.ThemeIcon(TYPE_LABELS[node.type].icon);
      return item;
    }
    if (node.kind === 'more') {
      const item = new vscode.TreeItem(`${node.left} more`, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `more:${node.type}:${node.shown}`;
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      return item;
    }
    const { entity } = node;
    const item = new vscode.TreeItem(entity.name, vscode.TreeItemCollapsibleState.None);
    item.id = `entity:${entity.group}`;
    const docs = entity.documents;
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
