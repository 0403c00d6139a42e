// Every article in the workspace, scanned: the data behind hover counts, references, rename and the
// trees. Built in small batches that yield to the extension host between files, then kept current
// per file (watchers, open editors, registry changes). Files are scanned in a worker thread when the
// bundled worker is there (in process, one file per turn of the event loop, otherwise). Results
// persist in the extension's storage, keyed by each file's content hash and the registry version,
// so a reopened workspace starts warm.
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { Commitment, DocEntity, Mention, ScanResult, Span } from '../core/types';
import { LineStarts, spanToRange } from './convert';
import { isArticle, isChecklist, type DocumentAnalysis } from './documentAnalysis';
import { hashText, lineStarts, scanText, WORKER_MARK, type RegistrySource, type ScannedFile, type WorkerReply, type WorkerRequest } from './indexWorker';
import type { RegistryStore } from './registryStore';

export interface IndexEntry {
  uri: vscode.Uri;
  date: string | null;
  mentions: Mention[];
  entities: DocEntity[];
  commitments: Commitment[];
  /** Range of an offset span of this document as it was indexed. */
  rangeOf(span: Span): vscode.Range;
}

const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**', '**/*.checklist.md'];
/** Files per batch before yielding the thread back to the extension host. */
const BATCH = 8;
const NOTIFY_ABOVE_FILES = 50;
const EMIT_DELAY_MS = 150;
const SAVE_DELAY_MS = 5_000;
const CACHE_FORMAT = 1;

/** What the persistent cache keeps of one file: its scan, and the file's stat when it was read. */
interface CachedScan extends ScannedFile {
  mtime: number;
  size: number;
}

type ScanOutcome = ScannedFile | 'unchanged';

/** The worker thread that scans files; it rebuilds the registry from the texts it is sent. */
class ScanWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (o: ScannedFile) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  failed = false;

  constructor(script: string) {
    this.worker = new Worker(script, { workerData: WORKER_MARK });
    this.worker.on('message', (reply: WorkerReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if ('scanned' in reply) waiting?.resolve(reply.scanned);
      else waiting?.reject(new Error(reply.error));
    });
    const fail = (e: unknown): void => {
      this.failed = true;
      for (const p of this.pending.values()) p.reject(e instanceof Error ? e : new Error(String(e)));
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', () => fail(new Error('the index worker stopped')));
  }

  setRegistry(sources: RegistrySource[]): void {
    this.post({ kind: 'registry', sources });
  }

  scan(path: string): Promise<ScannedFile> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ kind: 'scan', id, path });
    });
  }

  private post(request: WorkerRequest): void {
    this.worker.postMessage(request);
  }

  dispose(): void {
    this.failed = true;
    void this.worker.terminate();
  }
}

interface CacheFile {
  format: number;
  registryVersion: string;
  files: Record<string, CachedScan>;
}


export class WorkspaceIndex implements vscode.Disposable {
  private readonly byUri = new Map<string, IndexEntry>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private generation = 0;
  private emitTimer: ReturnType<typeof setTimeout> | undefined;
  private building: Promise<void>;
  /** Scans of files as last indexed, for the persistent cache. */
  private scans = new Map<string, CachedScan>();
  /** Scans loaded from the persistent cache, valid for `warmRegistryVersion`. */
  private warm = new Map<string, CachedScan>();
  private warmRegistryVersion = '';
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  private worker: ScanWorker | undefined;

  /**
   * `storage`: a folder for the persistent cache (the extension's workspace storage), if any;
   * `workerScript`: the bundled index worker, if any.
   */
  constructor(
    private readonly registry: RegistryStore,
    private readonly analysis: DocumentAnalysis,
    private readonly storage?: vscode.Uri,
    workerScript?: string,
  ) {
    try {
      this.worker = workerScript ? new ScanWorker(workerScript) : undefined;
    } catch (e) {
      console.warn('[attache] index worker unavailable, indexing in process', e);
    }
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
    this.building = Promise.all([registry.ready, this.loadCache()]).then(() => this.build(this.generation));
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
    for (const e of this.byUri.values()) {
      for (const m of e.mentions) if (m.id === idOrKey || m.entity === idOrKey) found.push(new vscode.Location(e.uri, e.rangeOf(m)));
    }
    return found;
  }

  documentsMentioning(idOrKey: string): vscode.Uri[] {
    return [...this.byUri.values()].filter((e) => e.mentions.some((m) => m.id === idOrKey || m.entity === idOrKey)).map((e) => e.uri);
  }

  rebuild(): Promise<void> {
    const generation = ++this.generation;
    this.building = this.building.then(() => this.build(generation));
    return this.building;
  }

  private async build(generation: number): Promise<void> {
    if (generation !== this.generation) return;
    const uris = await vscode.workspace.findFiles('**/*.md', excludeGlob());
    this.worker?.setRegistry(this.registry.sources());
    const run = async (progress?: vscode.Progress<{ message?: string; increment?: number }>): Promise<void> => {
      const seen = new Set<string>();
      for (let i = 0; i < uris.length; i += BATCH) {
        if (generation !== this.generation) return;
        const batch = uris.slice(i, i + BATCH);
        for (const uri of batch) seen.add(uri.toString());
        await Promise.all(batch.map((uri) => this.index(uri)));
        progress?.report({ message: `${Math.min(i + BATCH, uris.length)} / ${uris.length} articles`, increment: (100 * BATCH) / uris.length });
        await new Promise((resolve) => setImmediate(resolve));
      }
      for (const key of [...this.byUri.keys()]) if (!seen.has(key)) this.forget(key);
      this.warm.clear();
      this.emitSoon();
      this.saveSoon(0);
    };
    const location = uris.length > NOTIFY_ABOVE_FILES ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window;
    await vscode.window.withProgress({ location, title: 'Attaché: indexing articles' }, run);
  }

  private async refresh(uri: vscode.Uri): Promise<void> {
    if (isChecklist(uri) || !(await this.included(uri))) return;
    await this.index(uri);
    this.emitSoon();
  }

  private remove(uri: vscode.Uri): void {
    if (this.forget(uri.toString())) this.emitSoon();
  }

  private forget(key: string): boolean {
    this.scans.delete(key);
    return this.byUri.delete(key);
  }

  private async included(uri: vscode.Uri): Promise<boolean> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return false;
    const relative = vscode.workspace.asRelativePath(uri, false);
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, relative), excludeGlob(), 1);
    return found.length > 0;
  }

  private async index(uri: vscode.Uri): Promise<void> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) {
      this.store(uri, open.getText(), this.analysis.get(open));
      return;
    }
    const key = uri.toString();
    const warm = this.warmRegistryVersion === this.registry.current.version ? this.warm.get(key) : undefined;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (warm && warm.mtime === stat.mtime && warm.size === stat.size) return this.restore(uri, warm);
      const outcome = await this.scanFile(uri, warm?.hash);
      this.restore(uri, { ...(outcome === 'unchanged' ? warm! : outcome), mtime: stat.mtime, size: stat.size });
    } catch {
      // Unreadable or not UTF-8: not an article we can annotate.
      this.forget(key);
    }
  }

  /** Scans a closed file: in the worker when there is one, else here, in its own turn of the event loop. */
  private async scanFile(uri: vscode.Uri, knownHash: string | undefined): Promise<ScanOutcome> {
    if (this.worker && !this.worker.failed && uri.scheme === 'file') {
      const scanned = await this.worker.scan(uri.fsPath).catch(() => undefined);
      if (scanned) return scanned;
      if (!this.worker.failed) throw new Error(`cannot index ${uri.fsPath}`);
    }
    const text = new TextDecoder('utf-8', { fatal: true }).decode(await vscode.workspace.fs.readFile(uri));
    if (knownHash !== undefined && hashText(text) === knownHash) return 'unchanged';
    await new Promise((resolve) => setImmediate(resolve));
    return scanText(text, this.registry.current);
  }

  private store(uri: vscode.Uri, text: string, result: ScanResult): void {
    this.restore(uri, {
      hash: hashText(text),
      mtime: 0,
      size: -1,
      date: result.date,
      mentions: result.mentions,
      entities: result.entities,
      commitments: result.commitments,
      lines: lineStarts(text),
    });
  }

  private restore(uri: vscode.Uri, scanned: CachedScan): void {
    const lines = new LineStarts(Uint32Array.from(scanned.lines));
    this.scans.set(uri.toString(), scanned);
    this.byUri.set(uri.toString(), {
      uri,
      date: scanned.date,
      mentions: scanned.mentions,
      entities: scanned.entities,
      commitments: scanned.commitments,
      rangeOf: (span) => spanToRange(lines, span),
    });
    this.emitSoon();
    this.saveSoon(SAVE_DELAY_MS);
  }

  private cacheUri(): vscode.Uri | undefined {
    return this.storage && vscode.Uri.joinPath(this.storage, 'index-cache.json');
  }

  private async loadCache(): Promise<void> {
    const uri = this.cacheUri();
    if (!uri) return;
    try {
      const cache = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))) as CacheFile;
      if (cache.format !== CACHE_FORMAT) return;
      this.warm = new Map(Object.entries(cache.files));
      this.warmRegistryVersion = cache.registryVersion;
    } catch {
      // No cache yet, or an unreadable one: the index is built cold.
    }
  }

  private saveSoon(delay: number): void {
    const uri = this.cacheUri();
    if (!uri || !this.storage) return;
    const storage = this.storage;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      const cache: CacheFile = { format: CACHE_FORMAT, registryVersion: this.registry.current.version, files: Object.fromEntries(this.scans) };
      void Promise.resolve(vscode.workspace.fs.createDirectory(storage))
        .then(() => vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(cache))))
        .then(undefined, (e: unknown) => console.warn('[attache] could not save the index cache', e));
    }, delay);
  }

  private emitSoon(): void {
    clearTimeout(this.emitTimer);
    this.emitTimer = setTimeout(() => this.changed.fire(), EMIT_DELAY_MS);
  }

  dispose(): void {
    this.generation++;
    clearTimeout(this.emitTimer);
    clearTimeout(this.saveTimer);
    this.worker?.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}

function excludeGlob(): string {
  const configured = vscode.workspace.getConfiguration('attache').get<unknown>('index.exclude');
  const extra = Array.isArray(configured) ? configured.filter((g): g is string => typeof g === 'string' && g !== '') : [];
  return `{${[...ALWAYS_EXCLUDED, ...extra].join(',')}}`;
}
