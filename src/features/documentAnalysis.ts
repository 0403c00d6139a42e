// Scan results for open articles: computed on demand, cached per document version and registry
// version, and recomputed shortly after typing stops so decorations and diagnostics follow. Large
// documents (and every document under a large registry) are analysed in a worker that keeps the
// document's readings between edits; its highlights come first, then the whole result, packed and
// rebuilt here a slice per turn (the host is never held long); until it is in, the last result stands.
import { setImmediate as nextTurn } from 'node:timers/promises';
import * as vscode from 'vscode';
import { parseExplicitLinks } from '../core/links';
import { scan, ScanCache } from '../core/scan';
import type { Mention, ScanResult } from '../core/types';
import { packHighlights, type PackedHighlights } from '../core/highlights';
import { type PackedScan, unpackScan } from '../core/packedScan';
import type { WorkerPool } from '../workers/scanPool';
import type { RegistryStore } from './registryStore';
import { spanToRange } from './convert';

const TYPING_DELAY_MS = 200;
/** Above this many characters a scan could hold the extension host for more than ~100 ms. */
const WORKER_ABOVE_LENGTH = 64 * 1024;
/** Above this many registry entities building the matcher on the host's thread would hold it too long. */
const WORKER_ABOVE_ENTITIES = 2_000;

/** What a document reads as before its first analysis arrives, or when it is not analysed: nothing found. */
export const NOTHING_FOUND: ScanResult = {
  date: null,
  prose: { text: '', prose: '', blocks: [], frontMatter: null, fallback: false },
  mentions: [],
  entities: [],
  commitments: [],
  problems: [],
};

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
  /** Readings of the last version, when scanned here: after a keystroke only the changed parts are re-read. */
  prose?: ScanCache;
}

export class DocumentAnalysis implements vscode.Disposable {
  private readonly cache = new Map<string, Cached>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after an open article was re-analysed (typing settled, or the registry changed). */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /** Worker threads for large documents, once the workspace index shares its pool. */
  private pool: WorkerPool | undefined;
  /** Documents with an analysis under way in a worker, and the version sent. */
  private readonly inFlight = new Map<string, number>();
  /** Highlights a worker sent ahead of its analysis, for the version it analyses. */
  private readonly early = new Map<string, { version: number; highlights: PackedHighlights }>();
  /** The highlights of each result, packed once. */
  private readonly packed = new WeakMap<ScanResult, PackedHighlights>();
  private readonly highlighted = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when a worker's highlights of a new version arrive, ahead of the rest of its analysis. */
  readonly onDidHighlight = this.highlighted.event;

  constructor(private readonly registry: RegistryStore) {
    this.subscriptions = [
      this.changed,
      this.highlighted,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && isArticle(e.document)) this.schedule(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      // Cached results carry their registry version, so they are recomputed on the next get().
      registry.onDidChange(() => this.refreshAll()),
    ];
    // Nothing is analysed before the first registry load (everyone would read as unregistered): analyse then.
    void registry.ready.then(() => this.refreshAll());
  }

  private refreshAll(): void {
    for (const d of vscode.workspace.textDocuments) if (isArticle(d)) this.changed.fire(d.uri);
  }

  /** The scan of this version of the document (computed now if not cached). */
  get(document: vscode.TextDocument): ScanResult {
    const key = document.uri.toString();
    const registry = this.registry.current;
    const hit = this.cache.get(key);
    if (hit && hit.version === document.version && hit.registryVersion === registry.version) return hit.result;
    if (!this.registry.loaded) return NOTHING_FOUND;
    if (this.offloaded(document)) {
      this.request(document);
      return hit?.result ?? NOTHING_FOUND;
    }
    const prose = hit?.prose ?? new ScanCache();
    const result = scan(document.getText(), { registry: registry.entities.length > 0 ? registry : null, cache: prose });
    this.cache.set(key, { version: document.version, registryVersion: registry.version, result, prose });
    return result;
  }

  /** What decorations need: the highlights of this version as soon as a worker has them, else those of the last result. */
  highlights(document: vscode.TextDocument): PackedHighlights {
    const result = this.get(document);
    const early = this.early.get(document.uri.toString());
    if (early && early.version === document.version && this.cache.get(document.uri.toString())?.version !== document.version) return early.highlights;
    let packed = this.packed.get(result);
    if (!packed) this.packed.set(result, (packed = packHighlights(result.mentions)));
    return packed;
  }

  /**
   * The scan of the document as it is now, waiting for a worker's answer when the analysis runs
   * there (commands must not act on a result that is not in yet). Falls back to scanning here if
   * the worker does not answer in time.
   */
  async current(document: vscode.TextDocument, waitMs = 30_000): Promise<ScanResult> {
    await this.registry.ready;
    const key = document.uri.toString();
    const deadline = Date.now() + waitMs;
    for (;;) {
      const result = this.get(document);
      const hit = this.cache.get(key);
      if (hit && hit.version === document.version && hit.registryVersion === this.registry.current.version) return hit.result;
      if (!this.offloaded(document)) return result;
      const left = deadline - Date.now();
      if (left <= 0) return scan(document.getText(), { registry: this.registry.current.entities.length > 0 ? this.registry.current : null });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 1_000));
        const sub = this.changed.event((uri) => {
          if (uri.toString() === key) done();
        });
        function done(): void {
          clearTimeout(timer);
          sub.dispose();
          resolve();
        }
      });
    }
  }

  /** Analyses large documents in `pool` from now on (when it runs worker threads). */
  useWorkers(pool: WorkerPool): void {
    if (pool.threaded) this.pool = pool;
  }

  private offloaded(document: vscode.TextDocument): boolean {
    if (!this.pool) return false;
    if (this.registry.current.entities.length > WORKER_ABOVE_ENTITIES) return true;
    return document.offsetAt(document.lineAt(document.lineCount - 1).range.end) > WORKER_ABOVE_LENGTH;
  }

  /** Sends the document to its worker, one analysis at a time; an answer for an outdated version is dropped and asked again. */
  private request(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    if (!this.pool || this.inFlight.has(key)) return;
    const version = document.version;
    const asked = this.registry.current.version;
    this.inFlight.set(key, version);
    const onHighlights = (highlights: PackedHighlights): void => {
      if (document.isClosed || document.version !== version || this.registry.current.version !== asked) return;
      this.early.set(key, { version, highlights });
      this.highlighted.fire(document.uri);
    };
    const text = document.getText();
    this.pool.analyse(key, text, onHighlights).then(
      async ({ result: packed, registryVersion }) => {
        const result = await unpackInTurns(packed, text);
        this.inFlight.delete(key);
        const early = this.early.get(key);
        this.early.delete(key);
        if (document.isClosed) return;
        if (document.version !== version) return this.request(document);
        // A registry change fires onDidChange for every document, and the next get() asks again.
        if (registryVersion !== this.registry.current.version) return;
        // The same highlights as those sent ahead: decorations already shown are not redone.
        if (early?.version === version) this.packed.set(result, early.highlights);
        this.cache.set(key, { version, registryVersion, result });
        this.changed.fire(document.uri);
      },
      (e: unknown) => {
        this.inFlight.delete(key);
        console.warn('[attache] analysis in a worker failed', e);
      },
    );
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
    this.inFlight.delete(key);
    this.early.delete(key);
    this.pool?.forget(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.subscriptions) d.dispose();
  }
}

/** A packed result rebuilt one slice per turn of the event loop, so that typing and drawing go on meanwhile. */
async function unpackInTurns(packed: PackedScan, text: string): Promise<ScanResult> {
  const steps = unpackScan(packed, text);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    await nextTurn();
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
