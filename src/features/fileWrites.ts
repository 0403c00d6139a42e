// The one way Attaché writes a closed file (checklists, registry files, exports): a temporary file
// beside the target, then a rename over it, so nobody ever reads half a file; and a file that changed
// on disk while we worked is never silently overwritten: the change is re-applied to what is there
// now (the callers' changes are merges), and after a few tries we give up with an error instead.
// It holds no `vscode` import: the extension passes `vscode.workspace.fs`, tests an in-memory one.
import * as path from 'node:path';

/** What the writes need of a `vscode.Uri`. */
export interface FileUri {
  readonly path: string;
  with(change: { path: string }): FileUri;
}

/** What the writes need of `vscode.workspace.fs`. */
export interface FileSystem {
  readFile(uri: FileUri): PromiseLike<Uint8Array>;
  writeFile(uri: FileUri, content: Uint8Array): PromiseLike<void>;
  rename(source: FileUri, target: FileUri, options: { overwrite: boolean }): PromiseLike<void>;
  delete(uri: FileUri): PromiseLike<void>;
  createDirectory(uri: FileUri): PromiseLike<void>;
}

/** The file kept changing between our reads: we did not write over it. */
export class ChangedOnDiskError extends Error {
  constructor(readonly uri: FileUri) {
    super(`${path.posix.basename(uri.path)} keeps changing on disk; it was not overwritten.`);
    this.name = 'ChangedOnDiskError';
  }
}

const isNotFound = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && ((e as { code?: unknown }).code === 'FileNotFound' || (e as { code?: unknown }).code === 'ENOENT');

/** How many times a file that keeps changing under us is re-read before we give up. */
const MAX_ATTEMPTS = 5;

export class AtomicFiles {
  private readonly decoder = new TextDecoder('utf-8');
  private readonly encoder = new TextEncoder();

  constructor(private readonly fs: FileSystem) {}

  /** The file's text on disk, or undefined when there is no such file. */
  async read(uri: FileUri): Promise<string | undefined> {
    try {
      return this.decoder.decode(await this.fs.readFile(uri));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Writes `content` over the file (creating it and its folder when missing) through a temporary file and a rename. */
  async replace(uri: FileUri, content: string): Promise<void> {
    const folder = uri.with({ path: path.posix.dirname(uri.path) });
    const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    const temp = uri.with({ path: path.posix.join(folder.path, `.${path.posix.basename(uri.path)}.${unique}.tmp`) });
    await this.fs.createDirectory(folder);
    await this.fs.writeFile(temp, this.encoder.encode(content));
    try {
      await this.fs.rename(temp, uri, { overwrite: true });
    } catch (e) {
      await Promise.resolve(this.fs.delete(temp)).catch(() => undefined);
      throw e;
    }
  }

  /**
   * Rewrites the file as `change(current text)` (undefined when it does not exist yet). When the file
   * changed between our read and our write, `change` runs again on the newer text, so whatever was
   * written meanwhile is merged, not lost. Returns whether anything was written; throws
   * ChangedOnDiskError when the file would not hold still.
   */
  async update(uri: FileUri, change: (existing: string | undefined) => string): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const before = await this.read(uri);
      const next = change(before);
      if (next === before) return false;
      if ((await this.read(uri)) !== before) continue;
      await this.replace(uri, next);
      return true;
    }
    throw new ChangedOnDiskError(uri);
  }
}
