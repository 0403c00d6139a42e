// The workspace index's data, without the editor: one compact record per file, and for every entity
// (registry id or document entity key) the files that mention it. Look-ups (hover counts, references,
// rename) are map reads, O(result), kept current as each file is set or removed. Filling it: records
// from the index snapshot for the files unchanged since it was written, the others scanned in the
// worker pool; the host's thread only decodes and files what arrives, a little per turn.
import type { Span } from '../core/types';
import { decodeRecord, spansOf, type FileScan } from './indexRecord';
import type { ScanOutcome, WorkerPool } from './scanPool';
import type { DiskState, SnapshotEntry } from './snapshot';

/** A file's record, and where the file is on disk and how it was when read (files read from an editor's text have none). */
interface Filed extends Partial<DiskState> {
  scan: FileScan;
  path?: string;
}

/**
 * The files mentioning one key: the key's one string (shared by every record that has it), then pairs
 * (file, index of the key in that file's record). One flat array: most keys (detected names) are in
 * one file or a few, there are hundreds of thousands of them, and removing a file is rare.
 */
type Posting = [key: string, ...pairs: (string | number)[]];

export class FileIndex {
  private readonly files = new Map<string, Filed>();
  private readonly byEntity = new Map<string, Posting>();

  get size(): number {
    return this.files.size;
  }

  get(file: string): FileScan | undefined {
    return this.files.get(file)?.scan;
  }

  /** Files `scan` (the index keeps it: its key strings are replaced by the ones already held). */
  set(file: string, scan: FileScan, source?: { path: string; disk: DiskState }): void {
    this.delete(file);
    this.files.set(file, source ? { scan, path: source.path, size: source.disk.size, mtimeMs: source.disk.mtimeMs } : { scan });
    const { keys, keyStarts } = scan;
    for (let k = 0; k < keys.length; k++) {
      if (keyStarts[k] === keyStarts[k + 1]) continue;
      const posting = this.byEntity.get(keys[k]);
      if (!posting) {
        this.byEntity.set(keys[k], [keys[k], file, k]);
        continue;
      }
      // One string per key for the whole workspace, however many files mention it.
      keys[k] = posting[0];
      posting.push(file, k);
    }
  }

  delete(file: string): boolean {
    const old = this.files.get(file);
    if (!old) return false;
    this.files.delete(file);
    for (const key of old.scan.keys) {
      const posting = this.byEntity.get(key);
      const at = posting ? posting.indexOf(file, 1) : -1;
      if (at < 0) continue;
      posting!.splice(at, 2);
      if (posting!.length === 1) this.byEntity.delete(key);
    }
    return true;
  }

  /** The files that mention an entity. */
  filesMentioning(idOrKey: string): string[] {
    const posting = this.byEntity.get(idOrKey) ?? [];
    const found: string[] = [];
    for (let i = 1; i < posting.length; i += 2) found.push(posting[i] as string);
    return found;
  }

  /** Every mention of an entity, file by file, in document order. */
  mentionsOf(idOrKey: string): [file: string, mentions: Span[]][] {
    const posting = this.byEntity.get(idOrKey) ?? [];
    const found: [string, Span[]][] = [];
    for (let i = 1; i < posting.length; i += 2) found.push([posting[i] as string, spansOf(this.files.get(posting[i] as string)!.scan, posting[i + 1] as number)]);
    return found;
  }

  /** The files read from disk, as the index snapshot lists them. */
  snapshotEntries(): SnapshotEntry[] {
    const entries: SnapshotEntry[] = [];
    for (const { scan, path, size, mtimeMs } of this.files.values()) {
      if (path !== undefined && size !== undefined && mtimeMs !== undefined) entries.push({ path, size, mtimeMs, hash: scan.hash });
    }
    return entries;
  }
}

/** Scans to keep at once in the pool: enough to keep every worker busy. */
const WINDOW = 8;
/** The longest the host's thread decodes snapshot records before letting other work run. */
const SLICE_MS = 8;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Indexes `files` (paths on disk), handing each outcome to `onIndexed` as it comes: first the records
 * the index snapshot in `cacheDir` still holds (decoded a slice at a time), then the other files
 * scanned through the pool, a few at a time. Stops early when `cancelled()` turns true. Answers
 * whether the snapshot is still exact (every file, and only those, answered from it).
 */
export async function indexFiles(
  pool: WorkerPool,
  files: readonly string[],
  options: { cacheDir?: string; onIndexed: (file: string, outcome: ScanOutcome) => void; cancelled?: () => boolean },
): Promise<{ snapshotExact: boolean }> {
  const { cacheDir, onIndexed, cancelled = () => false } = options;
  const toScan: string[] = [];
  let snapshotExact = false;
  if (cacheDir) {
    const { bytes, fresh, stale, listed } = await pool.openSnapshot(cacheDir, files);
    toScan.push(...stale);
    snapshotExact = stale.length === 0 && listed === fresh.length;
    let sliceStart = performance.now();
    for (const { path, disk, at, length } of fresh) {
      if (cancelled()) return { snapshotExact: false };
      const scan = decodeRecord(bytes.subarray(at, at + length));
      if (scan) onIndexed(path, { kind: 'scanned', scan, disk, cached: true });
      else {
        toScan.push(path);
        snapshotExact = false;
      }
      if (performance.now() - sliceStart > SLICE_MS) {
        await nextTurn();
        sliceStart = performance.now();
      }
    }
  } else {
    toScan.push(...files);
  }
  let next = 0;
  const runner = async (): Promise<void> => {
    while (next < toScan.length && !cancelled()) {
      const file = toScan[next++];
      const outcome = await pool.scanFile(file, cacheDir);
      if (!cancelled()) onIndexed(file, outcome);
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, runner));
  return { snapshotExact };
}
