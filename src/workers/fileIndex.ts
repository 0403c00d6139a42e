// The workspace index's data, without the editor: one scan per file, and for every entity (registry
// id or document entity key) the files that mention it and where. Look-ups (hover counts, references,
// rename) are map reads, kept current as each file is set or removed.
import type { Mention } from '../core/types';
import type { FileScan } from './protocol';
import type { ScanOutcome, WorkerPool } from './scanPool';

/** The keys a mention is found under: its entity key, and its registry id when that differs. */
function keysOf(m: Mention): string[] {
  return m.id !== null && m.id !== m.entity ? [m.entity, m.id] : [m.entity];
}

export class FileIndex {
  private readonly files = new Map<string, FileScan>();
  /** entity → file → its mentions there, in document order. */
  private readonly byEntity = new Map<string, Map<string, Mention[]>>();

  get size(): number {
    return this.files.size;
  }

  get(file: string): FileScan | undefined {
    return this.files.get(file);
  }

  set(file: string, scan: FileScan): void {
    this.delete(file);
    this.files.set(file, scan);
    for (const m of scan.mentions) {
      for (const key of keysOf(m)) {
        let perFile = this.byEntity.get(key);
        if (!perFile) this.byEntity.set(key, (perFile = new Map()));
        const list = perFile.get(file);
        if (list) list.push(m);
        else perFile.set(file, [m]);
      }
    }
  }

  delete(file: string): boolean {
    const old = this.files.get(file);
    if (!old) return false;
    this.files.delete(file);
    for (const m of old.mentions) {
      for (const key of keysOf(m)) {
        const perFile = this.byEntity.get(key);
        if (!perFile?.delete(file)) continue;
        if (perFile.size === 0) this.byEntity.delete(key);
      }
    }
    return true;
  }

  /** The files that mention an entity. */
  filesMentioning(idOrKey: string): string[] {
    return [...(this.byEntity.get(idOrKey)?.keys() ?? [])];
  }

  /** Every mention of an entity, file by file. */
  mentionsOf(idOrKey: string): [file: string, mentions: Mention[]][] {
    return [...(this.byEntity.get(idOrKey) ?? [])];
  }
}

/** Scans to keep at once in the pool: enough to keep every worker busy. */
const WINDOW = 8;

/**
 * Scans `files` through the pool, a few at a time, handing each outcome to `onScanned` as it comes
 * (the host's thread only receives results). Stops early when `cancelled()` turns true.
 */
export async function indexFiles(
  pool: WorkerPool,
  files: readonly string[],
  options: { cacheDir?: string; onScanned: (file: string, outcome: ScanOutcome) => void; cancelled?: () => boolean },
): Promise<void> {
  let next = 0;
  const runner = async (): Promise<void> => {
    while (next < files.length && !options.cancelled?.()) {
      const file = files[next++];
      const outcome = await pool.scanFile(file, options.cacheDir);
      if (!options.cancelled?.()) options.onScanned(file, outcome);
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, runner));
}
