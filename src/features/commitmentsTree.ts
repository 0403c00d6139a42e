// The Commitments view: every commitment in the workspace's articles, grouped by due month,
// then "Recurring" and "No date"; overdue and recurring ones are marked. The groups and their counts
// are the index's, kept current per file; a group's commitments are read from its articles' records
// when it is expanded, and listed a page at a time.
import * as vscode from 'vscode';
import { describeRecurrence } from '../core/checklist';
import { NO_DATE, RECURRING } from '../workers/fileIndex';
import { commitmentLabel, plainText } from './plainText';
import type { AttacheServices, IndexEntry } from './services';
import type { IndexedCommitment } from './workspaceIndex';

/** Commitments listed per expansion of a group (or of its "more" node). */
const PAGE = 200;

interface Located {
  entry: IndexEntry;
  commitment: IndexedCommitment;
}

type Node =
  | { kind: 'group'; label: string; count: number }
  | { kind: 'commitment'; item: Located }
  /** The rest of a group's commitments, after the first `shown`. */
  | { kind: 'more'; label: string; shown: number; left: number };

/** Today as YYYY-MM-DD in local time; a parameter so tests can pin it. */
export function today(now = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A due date (YYYY, YYYY-MM or YYYY-MM-DD) is overdue once its whole period lies before today. */
export function isOverdue(due: string, todayIso: string): boolean {
  return due < todayIso.slice(0, due.length);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function displayGroup(label: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(label);
  if (m) return `${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
  // A due year with no month ("in 2027") is listed before that year's months.
  return /^\d{4}$/.test(label) ? `${label} (month not given)` : label;
}

/** Dated groups in time order, then Recurring, then No date. */
function groupOrder(label: string): string {
  if (label === RECURRING) return '~1';
  if (label === NO_DATE) return '~2';
  return label;
}

export class CommitmentsTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly services: AttacheServices,
    private readonly now: () => string = () => today(),
  ) {
    this.subscription = services.index.onDidChange(() => this.changed.fire());
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      return this.services.index
        .commitmentCounts()
        .sort(([a], [b]) => (groupOrder(a) < groupOrder(b) ? -1 : 1))
        .map(([label, count]) => ({ kind: 'group', label, count }));
    }
    if (node.kind === 'commitment') return [];
    const [count, shown] = node.kind === 'group' ? [node.count, 0] : [node.shown + node.left, node.shown];
    const page: Node[] = (await this.services.index.commitmentsIn(node.label, shown, PAGE)).map((item) => ({ kind: 'commitment', item }));
    if (count > shown + PAGE) page.push({ kind: 'more', label: node.label, shown: shown + PAGE, left: count - shown - PAGE });
    return page;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(displayGroup(node.label), vscode.TreeItemCollapsibleState.Expanded);
      item.id = `group:${node.label}`;
      item.description = String(node.count);
      return item;
    }
    if (node.kind === 'more') {
      const item = new vscode.TreeItem(`${node.left} more`, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `more:${node.label}:${node.shown}`;
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      return item;
    }
    const { entry, commitment: c } = node.item;
    const uri = entry.uri;
    const overdue = c.due !== null && isOverdue(c.due, this.now());
    const item = new vscode.TreeItem(commitmentLabel(c.kind, c.action, c.text), vscode.TreeItemCollapsibleState.None);
    item.id = `commitment:${uri.toString()}#${c.start}`;
    const parts = [c.actors.join(', ')];
    if (c.due) parts.push(overdue ? `overdue since ${c.due}` : `due ${c.due}`);
    if (c.recurrence) parts.push(describeRecurrence(c.recurrence));
    parts.push(`${vscode.workspace.asRelativePath(uri)}:${c.line}`);
    item.description = parts.filter(Boolean).join(' · ');
    // A plain string, never rendered as markdown; the quote's own markup is dropped so that it reads as text.
    item.tooltip = `${plainText(c.text)}\n\n${item.description}`;
    item.iconPath = overdue
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
      : new vscode.ThemeIcon(c.recurrence ? 'sync' : 'circle-large-outline');
    item.contextValue = overdue ? 'attache.overdueCommitment' : c.recurrence ? 'attache.recurringCommitment' : 'attache.commitment';
    const source: vscode.TextDocumentShowOptions = { selection: entry.rangeOf(c), preview: true };
    item.command = { command: 'vscode.open', title: 'Reveal Source Sentence', arguments: [uri, source] };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export function registerCommitmentsTree(services: AttacheServices): vscode.Disposable {
  const provider = new CommitmentsTreeProvider(services);
  const view = vscode.window.createTreeView('attache.commitments', { treeDataProvider: provider, showCollapseAll: true });
  return vscode.Disposable.from(view, provider);
}
