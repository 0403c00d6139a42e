// Every article in the workspace, scanned: the data behind hover counts, references, rename and the
// trees. Files are scanned in the worker pool (the extension host only receives results), with a
// progress notification while the index builds, then kept current per file (watchers, open editors,
// registry changes). Scans persist in the extension's storage, named by each file's content hash
// and the registry version, and the whole index as one snapshot (rewritten in a worker after changes),
// so a reopened workspace starts warm. Each file is held compactly (FileIndex, indexRecord.ts);
// look-ups are map reads. The views' summaries (entity groups, commitment groups) are kept per file
// too, counted a slice per turn once a bulk index has filed everything.
import * as vscode from 'vscode';
import type { EntityType, ScanResult, Span } from '../core/types';
import { FileIndex, indexFiles, type EntitySummary } from '../workers/fileIndex';
import { recordOf, type FileScan, type IndexedCommitment } from '../workers/indexRecord';
import { type ScanOutcome, WorkerPool } from '../workers/scanPool';
import type { DiskState } from '../workers/snapshot';
import { sha1 } from '../workers/diskCache';
import { LineStarts, spanToRange } from './convert';
import { isArticle, isChecklist, type DocumentAnalysis } from './documentAnalysis';
import type { RegistryStore } from './registryStore';

export type { IndexedCommitment } from '../workers/indexRecord';
export type { EntitySummary } from '../workers/fileIndex';

/** One indexed article. */
export interface IndexEntry {
  readonly uri: vscode.Uri;
  /** Range of an offset span of this document as it was indexed. */
  rangeOf(span: Span): vscode.Range;
}

class Entry implements IndexEntry {
  private readonly lines: LineStarts;

  constructor(
    readonly uri: vscode.Uri,
    lines: Uint32Array,
  ) {
    this.lines = new LineStarts(lines);
  }

  rangeOf(span: Span): vscode.Range {
    return spanToRange(this.lines, span);
  }
}

const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**', '**/*.checklist.md'];
const NOTIFY_ABOVE_FILES = 50;
const EMIT_DELAY_MS = 150;
const PROGRESS_STEP = 100;
/** The index snapshot is rewritten this long after the last change (a burst of saves writes it once). */
const SNAPSHOT_DELAY_MS = 5_000;
/** The longest the views' summaries are updated in one turn of the event loop. */
const SUMMARY_SLICE_MS = 8;

export class WorkspaceIndex implements vscode.Disposable {
  private readonly byUri = new Map<string, IndexEntry>();
  private readonly files: FileIndex;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private generation = 0;
  private emitTimer: ReturnType<typeof setTimeout> | undefined;
  private snapshotTimer: ReturnType<typeof setTimeout> | undefined;
  private building: Promise<void>;
  /** True while files are being indexed in bulk: the summaries wait until they are all filed. */
  private indexing = false;
  /** Settles when the summaries count every filed article (undefined while nothing is being counted). */
  private summarizing: Promise<void> | undefined;
  private disposed = false;
  private readonly pool: WorkerPool;
  /** Index builds asked for and not yet ended (see counted). */
  private builds = 0;
  /** Where the workers keep the compiled registry and the scans (a local folder), if anywhere. */
  private readonly cacheDir: string | undefined;

  /**
   * `storage`: a folder for the persistent caches (the extension's storage), if any; `workerScript`:
   * the bundled worker, if any. The pool is shared with the registry and the document analysis.
   */
  constructor(
    private readonly registry: RegistryStore,
    private readonly analysis: DocumentAnalysis,
    storage?: vscode.Uri,
    workerScript?: string,
  ) {
    this.pool = new WorkerPool(workerScript);
    this.cacheDir = storage?.scheme === 'file' ? storage.fsPath : undefined;
    // With a scan cache, the commitments the views show are read back from it (the record the file was
    // indexed with, by content hash); a record pruned meanwhile is made again by a worker.
    const { cacheDir } = this;
    const reread = async (path: string, hash: string): Promise<FileScan | null> => {
      const cached = await this.pool.cachedRecord(cacheDir!, hash);
      if (cached) return cached;
      const outcome = await this.pool.scanFile(path, cacheDir);
      return outcome.kind === 'scanned' ? outcome.scan : null;
    };
    this.files = new FileIndex(cacheDir ? reread : undefined);
    registry.useWorkers(this.pool, this.cacheDir);
    analysis.useWorkers(this.pool);
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.md');
    this.subscriptions = [
      this.changed,
      watcher,
      watcher.onDidCreate((uri) => void this.refresh(uri)),
      watcher.onDidChange((uri) => void this.refresh(uri)),
      watcher.onDidDelete((uri) => this.remove(uri)),
      analysis.onDidChange((uri) => {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        if (doc && isArticle(doc) && this.byUri.has(uri.toString())) this.store(uri, doc.getText(), analysis.get(doc));
      }),
      registry.onDidChange(() => void this.rebuild()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('attache.index.exclude')) void this.rebuild();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.rebuild()),
    ];
    this.building = this.counted(registry.ready.then(() => this.build(this.generation)));
  }

  /** Resolves when the index of the current workspace and registry is complete. */
  get ready(): Promise<void> {
    return this.building;
  }

  entries(): IndexEntry[] {
    return [...this.byUri.values()];
  }

  get(uri: vscode.Uri): IndexEntry | undefined {
    return this.byUri.get(uri.toString());
  }

  /** Every mention of an entity (registry id or document entity key) across the workspace. */
  mentionsOf(idOrKey: string): vscode.Location[] {
    const found: vscode.Location[] = [];
    for (const [key, mentions] of this.files.mentionsOf(idOrKey)) {
      const entry = this.byUri.get(key);
      if (entry) for (const m of mentions) found.push(new vscode.Location(entry.uri, entry.rangeOf(m)));
    }
    return found;
  }

  /** How many entity groups of each type the workspace holds (in ENTITY_TYPES order); kept current per file. */
  entityGroupCounts(): readonly number[] {
    return this.files.entityGroupCounts();
  }

  /** The `limit` most mentioned entity groups, of one type or all. */
  topEntities(limit: number, type?: EntityType): EntitySummary[] {
    return this.files.topEntities(limit, type);
  }

  /** The `limit` most mentioned entity groups and, per pair of them, the articles holding both. */
  cooccurrences(limit: number): ReturnType<FileIndex['cooccurrences']> {
    return this.files.cooccurrences(limit);
  }

  /** Commitment group labels (due month, Recurring, No date) and how many commitments each holds. */
  commitmentCounts(): [label: string, count: number][] {
    return this.files.commitmentCounts();
  }

  /** A page of one group's commitments (by due date, then article), with their articles. */
  async commitmentsIn(label: string, from: number, count: number): Promise<{ entry: IndexEntry; commitment: IndexedCommitment }[]> {
    return (await this.files.commitmentsIn(label, from, count)).flatMap(([key, commitment]) => {
      const entry = this.byUri.get(key);
      return entry ? [{ entry, commitment }] : [];
    });
  }

  documentsMentioning(idOrKey: string): vscode.Uri[] {
    return this.files.filesMentioning(idOrKey).flatMap((key) => this.byUri.get(key)?.uri ?? []);
  }

  rebuild(): Promise<void> {
    const generation = ++this.generation;
    this.building = this.counted(this.building.then(() => this.build(generation)));
    return this.building;
  }

  /**
   * Counts a build from when it is asked for (the first waits for the registry) until it ends; the
   * `attache.indexing` and `attache.indexed` context keys let an empty view say it is still indexing
   * rather than that nothing was found.
   */
  private counted(build: Promise<void>): Promise<void> {
    this.countBuild(+1);
    return build.finally(() => this.countBuild(-1));
  }

  private countBuild(delta: number): void {
    const was = this.builds > 0;
    this.builds += delta;
    if (was === this.builds > 0) return;
    void vscode.commands.executeCommand('setContext', 'attache.indexing', this.builds > 0);
    // Until the first build ends (and before activation, when neither key is set) the views say they are indexing.
    if (this.builds === 0) void vscode.commands.executeCommand('setContext', 'attache.indexed', true);
  }

  private async build(generation: number): Promise<void> {
    if (generation !== this.generation) return;
    const uris = await vscode.workspace.findFiles('**/*.md', excludeGlob(null));
    const current = (): boolean => generation === this.generation;
    const run = async (progress?: vscode.Progress<{ message?: string; increment?: number }>): Promise<void> => {
      const seen = new Set(uris.map((u) => u.toString()));
      for (const key of [...this.byUri.keys()]) if (!seen.has(key)) this.forget(key);
      const open = new Map(vscode.workspace.textDocuments.filter(isArticle).map((d) => [d.uri.toString(), d]));
      const onDisk = new Map<string, vscode.Uri>();
      for (const uri of uris) {
        const document = open.get(uri.toString());
        if (document) this.store(uri, document.getText(), this.analysis.get(document));
        // Closed files are read by the workers; only local files can be (virtual workspaces are not supported).
        else if (uri.scheme === 'file') onDisk.set(uri.fsPath, uri);
      }
      let done = uris.length - onDisk.size;
      this.indexing = true;
      const indexed = indexFiles(this.pool, [...onDisk.keys()], {
        cacheDir: this.cacheDir,
        cancelled: () => !current(),
        onIndexed: (file, outcome) => {
          this.apply(onDisk.get(file)!, outcome);
          if (++done % PROGRESS_STEP === 0) progress?.report({ message: `${done} / ${uris.length} articles`, increment: (100 * PROGRESS_STEP) / uris.length });
        },
      });
      const { snapshotExact } = await indexed.finally(() => (this.indexing = false));
      await this.summarizeSoon();
      if (current() && !snapshotExact) this.snapshotSoon(0);
    };
    const location = uris.length > NOTIFY_ABOVE_FILES ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window;
    await vscode.window.withProgress({ location, title: 'Attaché: indexing articles' }, run);
  }

  private async refresh(uri: vscode.Uri): Promise<void> {
    if (isChecklist(uri) || !(await this.included(uri))) return;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) this.store(uri, open.getText(), this.analysis.get(open));
    else if (uri.scheme === 'file') this.apply(uri, await this.pool.scanFile(uri.fsPath, this.cacheDir));
    this.snapshotSoon();
  }

  private remove(uri: vscode.Uri): void {
    if (!this.forget(uri.toString())) return;
    this.emitSoon();
    this.snapshotSoon();
  }

  /** Rewrites the index snapshot in a worker, once changes have settled. */
  private snapshotSoon(delay = SNAPSHOT_DELAY_MS): void {
    const { cacheDir } = this;
    if (!cacheDir) return;
    clearTimeout(this.snapshotTimer);
    this.snapshotTimer = setTimeout(() => void this.pool.saveSnapshot(cacheDir, this.files.snapshotEntries()), delay);
  }

  private forget(key: string): boolean {
    this.files.delete(key);
    return this.byUri.delete(key);
  }

  private async included(uri: vscode.Uri): Promise<boolean> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return false;
    const relative = vscode.workspace.asRelativePath(uri, false);
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, relative), excludeGlob(folder), 1);
    return found.length > 0;
  }

  /** A worker's answer: the scan, or (too large, not text, unreadable) the file leaves the index. */
  private apply(uri: vscode.Uri, outcome: ScanOutcome): void {
    if (outcome.kind === 'scanned') this.restore(uri, outcome.scan, { path: uri.fsPath, disk: outcome.disk });
    else if (this.forget(uri.toString())) this.emitSoon();
  }

  /** An open document's analysis: indexed from the editor's text (so it is not in the snapshot, which lists files as on disk). */
  private store(uri: vscode.Uri, text: string, result: ScanResult): void {
    this.restore(uri, recordOf(text, sha1(text), this.registry.current.version, result));
  }

  private restore(uri: vscode.Uri, scanned: FileScan, source?: { path: string; disk: DiskState }): void {
    const key = uri.toString();
    this.files.set(key, scanned, source);
    this.byUri.set(key, new Entry(uri, scanned.lines));
    if (!this.indexing) void this.summarizeSoon();
    this.emitSoon();
  }

  /** Counts newly filed articles into the views' summaries, a slice per turn, then tells the views. */
  private summarizeSoon(): Promise<void> {
    this.summarizing ??= new Promise<void>((resolve) => {
      const step = (): void => {
        if (!this.disposed && !this.files.summarize(SUMMARY_SLICE_MS)) return void setImmediate(step);
        this.summarizing = undefined;
        this.emitSoon();
        resolve();
      };
      setImmediate(step);
    });
    return this.summarizing;
  }

  private emitSoon(): void {
    clearTimeout(this.emitTimer);
    this.emitTimer = setTimeout(() => this.changed.fire(), EMIT_DELAY_MS);
  }

  dispose(): void {
    this.disposed = true;
    this.generation++;
    clearTimeout(this.emitTimer);
    clearTimeout(this.snapshotTimer);
    void this.pool.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}

/** The globs the index skips, as set for `scope` (a folder; null: the workspace-wide value, for a search over every folder). */
function excludeGlob(scope: vscode.ConfigurationScope | null): string {
  const configured = vscode.workspace.getConfiguration('attache', scope).get<unknown>('index.exclude');
  const extra = Array.isArray(configured) ? configured.filter((g): g is string => typeof g === 'string' && g !== '') : [];
  return `{${[...ALWAYS_EXCLUDED, ...extra].join(',')}}`;
}
