// Scan results for open articles: computed on demand, cached per document version and registry
// version, and recomputed shortly after typing stops so decorations and diagnostics follow.
import * as vscode from 'vscode';
import { parseExplicitLinks } from '../core/links';
import { scan, ScanCache } from '../core/scan';
import type { Mention, ScanResult } from '../core/types';
import type { RegistryStore } from './registryStore';
import { spanToRange } from './convert';

const TYPING_DELAY_MS = 200;

/** Markdown that is an article: checklists are our own output, not something to annotate. */
export function isArticle(document: vscode.TextDocument): boolean {
  return document.languageId === 'markdown' && !isChecklist(document.uri);
}

export function isChecklist(uri: vscode.Uri): boolean {
  return uri.path.endsWith('.checklist.md');
}

/** What is under the cursor: an entity mention, or an explicit `[[id]]` link. */
export interface Target {
  /** Registry id, when the entity is registered. */
  id: string | null;
  /** Document-level entity key (equals the id for registered entities). */
  key: string;
  range: vscode.Range;
  mention?: Mention;
  /** Set when the cursor is on the id inside `[[…]]`. */
  linkId?: boolean;
}

interface Cached {
  version: number;
  registryVersion: string;
  result: ScanResult;
  /** Parsed chunks of the last version: after a keystroke only the changed chunks are re-read. */
  prose: ScanCache;
}

export class DocumentAnalysis implements vscode.Disposable {
  private readonly cache = new Map<string, Cached>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after an open article was re-analysed (typing settled, or the registry changed). */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly registry: RegistryStore) {
    this.subscriptions = [
      this.changed,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && isArticle(e.document)) this.schedule(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      // Cached results carry their registry version, so they are recomputed on the next get().
      registry.onDidChange(() => {
        for (const d of vscode.workspace.textDocuments) if (isArticle(d)) this.changed.fire(d.uri);
      }),
    ];
  }

  /** The scan of this version of the document (computed now if not cached). */
  get(document: vscode.TextDocument): ScanResult {
    const key = document.uri.toString();
    const registry = this.registry.current;
    const hit = this.cache.get(key);
    if (hit && hit.version === document.version && hit.registryVersion === registry.version) return hit.result;
    const prose = hit?.prose ?? new ScanCache();
    const result = scan(document.getText(), { registry: registry.entities.length > 0 ? registry : null, cache: prose });
    this.cache.set(key, { version: document.version, registryVersion: registry.version, result, prose });
    return result;
  }

  /** The mention or explicit link at a position, if any. */
  targetAt(document: vscode.TextDocument, position: vscode.Position): Target | undefined {
    const offset = document.offsetAt(position);
    const result = this.get(document);
    const line = document.lineAt(position.line);
    const lineStart = document.offsetAt(line.range.start);
    for (const link of parseExplicitLinks(line.text)) {
      if (offset < lineStart + link.idSpan.start || offset > lineStart + link.idSpan.end) continue;
      const idSpan = { start: lineStart + link.idSpan.start, end: lineStart + link.idSpan.end };
      return { id: link.id, key: link.id, range: spanToRange(document, idSpan), linkId: true };
    }
    const mention = mentionAt(result.mentions, offset);
    if (!mention) return undefined;
    return { id: mention.id, key: mention.entity, range: spanToRange(document, mention), mention };
  }

  private schedule(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      if (document.isClosed) return;
      this.get(document);
      this.changed.fire(document.uri);
    }, TYPING_DELAY_MS));
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.cache.delete(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.subscriptions) d.dispose();
  }
}

/** The mention containing `offset` (an offset just after a mention still counts: the cursor sits there). */
function mentionAt(mentions: readonly Mention[], offset: number): Mention | undefined {
  let lo = 0;
  let hi = mentions.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = mentions[mid];
    if (m.end < offset) lo = mid + 1;
    else if (m.start > offset) hi = mid - 1;
    else return m;
  }
  return undefined;
}
