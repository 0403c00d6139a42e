// The team registry as the editor sees it: every file named by `attache.registry.files`, parsed,
// merged, and kept live (open editors, files on disk, settings). A file that stops parsing keeps
// its last good content in force, so one typo never wipes the highlights. Parsing runs in the worker
// pool (a 50,000-entity registry takes seconds), through a compiled cache that makes the next start warm;
// while the first load runs, `loaded` is false (a new version's load keeps the last one in force).
// The host holds the compiled bytes: an entity is decoded when a feature reads it, and completion
// searches the bytes' word index, so a large registry costs the host little memory and no long stall.
import * as vscode from 'vscode';
import { mergeRegistries } from '../core/registry';
import type { Problem, Registry, RegistryEntity } from '../core/types';
import type { RegistrySource } from '../workers/protocol';
import type { CompiledRegistry } from '../workers/registryLoad';
import { WorkerPool } from '../workers/scanPool';
import { relativeInside } from './registryPaths';

const DEFAULT_FILES = ['.attache/registry.yaml'];
const RELOAD_DELAY_MS = 250;
/** A plain YAML scalar's characters: an `id:` value is one. */
const YAML_WORD = /[^\s:#,'"[\]{}]+/;

interface FileState {
  uri: vscode.Uri;
  /** The last text that parsed, or null when the file never did. */
  goodText: string | null;
  problems: Problem[];
}

export class RegistryStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Registry>();
  readonly onDidChange = this.changed.event;
  private readonly problemsChanged = new vscode.EventEmitter<void>();
  /** Fires when the problems of some registry file changed (diagnostics listen). */
  readonly onDidChangeProblems = this.problemsChanged.event;

  private states = new Map<string, FileState>();
  private merged: Registry = mergeRegistries([]);
  /** The compiled form of `merged` (null until the first load). */
  private compiled: CompiledRegistry | null = null;
  /** Problems only visible across files (reported on the first file). */
  private crossFile: Problem[] = [];
  /** In process until the workspace index shares its workers. */
  private pool = new WorkerPool(undefined);
  private cacheDir: string | undefined;
  /** Configured paths already warned about, so a rejected path is reported once. */
  private readonly rejected = new Set<string>();
  private watchers: vscode.Disposable[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private loading: Promise<void> = Promise.resolve();
  private firstLoadDone = false;
  /** Resolves once the first load finished. */
  readonly ready: Promise<void>;

  constructor() {
    this.subscriptions.push(
      this.changed,
      this.problemsChanged,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('attache.registry.files')) this.scheduleReload(0);
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleReload(0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && this.isRegistryFile(e.document.uri)) this.scheduleReload(RELOAD_DELAY_MS);
      }),
      // Closing an unsaved editor drops its text: go back to the file on disk.
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (this.isRegistryFile(d.uri)) this.scheduleReload(0);
      }),
    );
    this.ready = this.reload().then(() => {
      this.firstLoadDone = true;
    });
  }

  /**
   * False until the first load finished. Until then `current` is empty: features must not report
   * anyone as "not in the registry" (they wait for `ready`, or say the registry is loading).
   */
  get loaded(): boolean {
    return this.firstLoadDone;
  }

  /** The merged registry in force. */
  get current(): Registry {
    return this.merged;
  }

  /**
   * Up to `limit` entities with a word of their id, name or an alias starting with `prefix` (case and
   * accents aside), without decoding the others.
   */
  entitiesWithWordStarting(prefix: string, limit: number): RegistryEntity[] {
    return this.compiled?.entitiesWithWordStarting(prefix, limit).map((i) => this.merged.entities[i]) ?? [];
  }

  /** The entity whose `id:` value is at `position` in a registry file (looked up by the word there, so no other entity is decoded). */
  entityDefinedAt(document: vscode.TextDocument, position: vscode.Position): RegistryEntity | undefined {
    const word = document.getWordRangeAtPosition(position, YAML_WORD);
    const entity = word && this.merged.byId.get(document.getText(word));
    const offset = document.offsetAt(position);
    const source = entity?.source;
    return source && source.file === document.uri.toString() && source.idSpan.start <= offset && offset <= source.idSpan.end ? entity : undefined;
  }

  get files(): vscode.Uri[] {
    return [...this.states.values()].map((s) => s.uri);
  }

  /** Where new entries go: the first configured file of the first workspace folder. */
  get primaryFile(): vscode.Uri | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const first = folder && this.patterns(folder).find((p) => !isGlob(p));
    return this.files[0] ?? (folder && first ? vscode.Uri.joinPath(folder.uri, first) : undefined);
  }

  /** Parses in `pool` from now on, keeping the compiled registry cache in `cacheDir`. */
  useWorkers(pool: WorkerPool, cacheDir: string | undefined): void {
    void this.pool.dispose();
    this.pool = pool;
    this.cacheDir = cacheDir;
  }

  isRegistryFile(uri: vscode.Uri): boolean {
    return this.states.has(uri.toString());
  }

  /** Problems per registry file (merge problems such as duplicate ids across files go to the first file). */
  problems(): Array<{ uri: vscode.Uri; problems: Problem[] }> {
    const all = [...this.states.values()].map((s) => ({ uri: s.uri, problems: [...s.problems] }));
    if (all.length > 0) all[0].problems.push(...this.crossFile);
    return all;
  }

  private scheduleReload(delay: number): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(), delay);
  }

  /** Reloads serially, so a slow read never overwrites a newer result. */
  reload(): Promise<void> {
    this.loading = this.loading.then(() => this.load()).catch((e) => console.error('[attache] registry reload failed', e));
    return this.loading;
  }

  private async load(): Promise<void> {
    const uris = await this.resolveFiles();
    this.rewatch();
    const sources: RegistrySource[] = [];
    const byFile = new Map<string, vscode.Uri>();
    for (const uri of uris) {
      const text = await readText(uri);
      if (text === null) continue;
      const file = uri.toString();
      byFile.set(file, uri);
      sources.push({ file, text, lastGood: this.states.get(file)?.goodText ?? undefined });
    }
    const loaded = await this.pool.loadRegistry(sources, this.cacheDir);
    const next = new Map<string, FileState>();
    for (const [i, state] of loaded.files.entries()) {
      const source = sources[i];
      const goodText = state.used === 'current' ? source.text : (source.lastGood ?? null);
      next.set(state.file, { uri: byFile.get(state.file)!, goodText, problems: state.problems });
    }
    this.states = next;
    this.crossFile = loaded.crossFile;
    this.problemsChanged.fire();
    if (loaded.registry.version !== this.merged.version) {
      this.merged = loaded.registry;
      this.compiled = loaded.compiled;
      this.changed.fire(loaded.registry);
    }
  }

  private async resolveFiles(): Promise<vscode.Uri[]> {
    const found = new Map<string, vscode.Uri>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const pattern of this.patterns(folder)) {
        const uris = isGlob(pattern)
          ? await vscode.workspace.findFiles(new vscode.RelativePattern(folder, pattern))
          : [vscode.Uri.joinPath(folder.uri, pattern)];
        for (const uri of uris) found.set(uri.toString(), uri);
      }
    }
    return [...found.values()];
  }

  /**
   * The configured paths of a folder, relative to it. One that leads out of the folder (`../..`, an
   * absolute path elsewhere) is refused, with a warning once: the registry is the workspace's own.
   */
  private patterns(folder: vscode.WorkspaceFolder): string[] {
    return configuredPatterns(folder).flatMap((pattern) => {
      const relative = relativeInside(folder.uri.fsPath, pattern);
      if (relative !== null) return [relative];
      const key = `${folder.uri.toString()}\u0000${pattern}`;
      if (!this.rejected.has(key)) {
        this.rejected.add(key);
        void vscode.window.showWarningMessage(
          `Attaché ignores "${pattern}" in attache.registry.files: it is outside the workspace folder "${folder.name}". Registry files must be inside the workspace folder; give their path relative to it.`,
        );
      }
      return [];
    });
  }

  /** One watcher per configured pattern: files created, changed on disk or deleted reload the registry. */
  private rewatch(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const pattern of this.patterns(folder)) {
        const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, pattern));
        const reload = (): void => this.scheduleReload(RELOAD_DELAY_MS);
        this.watchers.push(watcher, watcher.onDidCreate(reload), watcher.onDidChange(reload), watcher.onDidDelete(reload));
      }
    }
  }

  dispose(): void {
    clearTimeout(this.reloadTimer);
    for (const d of [...this.watchers, ...this.subscriptions]) d.dispose();
  }
}

function configuredPatterns(folder: vscode.WorkspaceFolder | undefined): string[] {
  const files = vscode.workspace.getConfiguration('attache', folder).get<unknown>('registry.files');
  const list = Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string' && f.trim() !== '') : [];
  return list.length > 0 ? list : DEFAULT_FILES;
}

function isGlob(pattern: string): boolean {
  return /[*?{}[\]]/.test(pattern);
}

/** A file's text as the analyst sees it: the open editor's (possibly unsaved) text, else the file on disk. */
export async function readText(uri: vscode.Uri): Promise<string | null> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return null;
  }
}
