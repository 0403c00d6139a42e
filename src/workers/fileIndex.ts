// The workspace index's data, without the editor: one compact record per file, and for every entity
// (registry id or document entity key) the files that mention it. Look-ups (hover counts, references,
// rename) are map reads, O(result), kept current as each file is set or removed. So are the summaries
// the views draw (entities by group, commitments by due month), so no view walks every file on a change.
// Filling it: records from the index snapshot for the files unchanged since it was written, the others
// scanned in the worker pool; the host's thread only decodes and files what arrives, a little per turn.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ENTITY_TYPES, type EntityType, type Span } from '../core/types';
import { commitmentDatesOf, commitmentsOf, decodeRecord, entitiesOf, spansOf, type FileScan, type IndexedCommitment, type IndexedEntity } from './indexRecord';
import type { ScanOutcome, WorkerPool } from './scanPool';
import type { DiskState, SnapshotEntry } from './snapshot';

/** A file's record, its name, and where it is on disk and how it was when read (files read from an editor's text have none). */
interface Filed extends Partial<DiskState> {
  file: string;
  scan: FileScan;
  /** Once the workspace summaries count this file: each commitment's date (a number in FileIndex's date table). */
  dates?: Uint32Array;
  path?: string;
}

/** Files (by number) holding something: one file as a bare number (no allocation; most entity groups are in one article), several as a list. */
type Files = number | number[];

/** `files` with file n, while n is being counted in (so if already there, it was the last one added). */
function withFile(files: Files | undefined, n: number): Files {
  if (files === undefined) return n;
  if (typeof files === 'number') return files === n ? n : [files, n];
  if (files[files.length - 1] !== n) files.push(n);
  return files;
}

function withoutFile(files: Files, n: number): Files | undefined {
  if (typeof files === 'number') return files === n ? undefined : files;
  const at = files.indexOf(n);
  if (at >= 0) files.splice(at, 1);
  return files.length === 1 ? files[0] : files;
}

/**
 * The files (by number) mentioning a key: one number when one file does (most keys: detected names
 * found in one article); else the key's one string, shared by every record that has it, then the files.
 */
type Posting = number | [key: string, ...files: number[]];

const listOf = (files: Files | undefined): readonly number[] => (files === undefined ? [] : typeof files === 'number' ? [files] : files);

/** One entity across the workspace: the same registry id, or the same type and name when unregistered. */
export function groupOf(entity: { id: string | null; type: EntityType; name: string }): string {
  // Not the locale's lower case: a group is the same on every machine.
  return entity.id ?? `${entity.type}:${entity.name.toLowerCase()}`;
}

/** The group a commitment belongs in: its due month (or year), else Recurring, else No date. */
export function groupLabel(c: { due: string | null; recurrence: string | null }): string {
  if (c.due) return c.due.slice(0, 7);
  return c.recurrence ? RECURRING : NO_DATE;
}
export const RECURRING = 'Recurring';
export const NO_DATE = 'No date';

/** An entity group as the views show it: counts over the workspace, name and key from one of its files. */
export interface EntitySummary {
  group: string;
  /** What `attache.showMentions` takes: the registry id, or the entity key in one of its files. */
  key: string;
  id: string | null;
  name: string;
  type: EntityType;
  mentions: number;
  documents: number;
}

/** Entity groups: numbered, with their files, mention totals and types in arrays indexed by number. */
class EntityGroups {
  private readonly numbers = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly files: (Files | undefined)[] = [];
  private readonly mentions: number[] = [];
  private readonly types: number[] = [];
  private readonly free: number[] = [];
  /** Groups per type, kept so the views' top level needs no walk. */
  readonly perType = ENTITY_TYPES.map(() => 0);

  update(n: number, entities: readonly IndexedEntity[], sign: 1 | -1): void {
    for (const e of entities) {
      const name = groupOf(e);
      let g = this.numbers.get(name);
      if (g === undefined) {
        if (sign < 0) continue;
        g = this.free.pop() ?? this.names.length;
        this.numbers.set(name, g);
        this.names[g] = name;
        this.mentions[g] = 0;
        this.types[g] = ENTITY_TYPES.indexOf(e.type);
        this.perType[this.types[g]]++;
      }
      this.mentions[g] += sign * e.mentionCount;
      const files = this.files[g];
      this.files[g] = sign > 0 ? withFile(files, n) : files === undefined ? undefined : withoutFile(files, n);
      if (this.files[g] === undefined) {
        this.numbers.delete(name);
        this.perType[this.types[g]]--;
        this.types[g] = -1;
        this.free.push(g);
      }
    }
  }

  /** The `limit` groups with the most mentions (of one type, or all), best first; ties by group name. */
  top(limit: number, type?: EntityType): number[] {
    const wanted = type === undefined ? -1 : ENTITY_TYPES.indexOf(type);
    const { mentions, types } = this;
    const counted = (g: number): boolean => types[g] >= 0 && (wanted < 0 || types[g] === wanted);
    // Three passes over numbers instead of a sort of every group: how many groups have each mention
    // count, so the least count that fills the page is known; then only the groups at or above it are sorted.
    let most = 0;
    for (let g = 0; g < types.length; g++) if (counted(g) && mentions[g] > most) most = mentions[g];
    const perCount = new Uint32Array(most + 1);
    for (let g = 0; g < types.length; g++) if (counted(g)) perCount[mentions[g]]++;
    let least = most + 1;
    for (let above = 0; least > 0 && above < limit; ) above += perCount[--least];
    const found: number[] = [];
    for (let g = 0; g < types.length; g++) if (counted(g) && mentions[g] >= least) found.push(g);
    return found.sort((a, b) => mentions[b] - mentions[a] || (this.names[a] < this.names[b] ? -1 : 1)).slice(0, limit);
  }

  name(g: number): string {
    return this.names[g];
  }

  filesOf(g: number): readonly number[] {
    return listOf(this.files[g]);
  }

  totals(g: number): { mentions: number; documents: number } {
    return { mentions: this.mentions[g], documents: listOf(this.files[g]).length };
  }
}

export class FileIndex {
  private readonly numbers = new Map<string, number>();
  private readonly filed: (Filed | undefined)[] = [];
  private readonly freeNumbers: number[] = [];
  private readonly byKey = new Map<string, Posting>();
  private readonly entityGroups = new EntityGroups();
  /** Commitment dates, numbered: each due date (or, undated, its group's label) once, with its group's label. */
  private readonly dates: { label: string; due: string }[] = [];
  private readonly dateNumbers = new Map<string, number>();
  /** Files set but not yet counted in the summaries (see summarize). */
  private readonly unsummarized: number[] = [];
  /** Commitments by group label: how many, and in which files. */
  private readonly commitmentGroups = new Map<string, { count: number; files: Files }>();

  get size(): number {
    return this.numbers.size;
  }

  get(file: string): FileScan | undefined {
    const n = this.numbers.get(file);
    return n === undefined ? undefined : this.filed[n]!.scan;
  }

  /** Files `scan` (the index keeps it: its key strings are replaced by the ones already held). */
  set(file: string, scan: FileScan, source?: { path: string; disk: DiskState }): void {
    this.delete(file);
    const n = this.freeNumbers.pop() ?? this.filed.length;
    this.numbers.set(file, n);
    this.filed[n] = source ? { file, scan, path: source.path, size: source.disk.size, mtimeMs: source.disk.mtimeMs } : { file, scan };
    const { keys, keyStarts } = scan;
    for (let k = 0; k < keys.length; k++) {
      if (keyStarts[k] === keyStarts[k + 1]) continue;
      const posting = this.byKey.get(keys[k]);
      if (posting === undefined) this.byKey.set(keys[k], n);
      else if (typeof posting === 'number') {
        if (posting !== n) this.byKey.set(keys[k], [keys[k], posting, n]);
      } else {
        // One string per key for the whole workspace, however many files mention it.
        keys[k] = posting[0];
        posting.push(n);
      }
    }
    this.unsummarized.push(n);
  }

  delete(file: string): boolean {
    const n = this.numbers.get(file);
    if (n === undefined) return false;
    const filed = this.filed[n]!;
    const { scan } = filed;
    this.numbers.delete(file);
    this.filed[n] = undefined;
    this.freeNumbers.push(n);
    for (const key of scan.keys) {
      const posting = this.byKey.get(key);
      if (posting === undefined) continue;
      if (typeof posting === 'number') {
        if (posting === n) this.byKey.delete(key);
        continue;
      }
      const at = posting.indexOf(n, 1);
      if (at > 0) posting.splice(at, 1);
      if (posting.length === 2) this.byKey.set(key, posting[1]);
    }
    if (filed.dates) {
      this.countCommitments(n, filed.dates, -1);
      this.entityGroups.update(n, entitiesOf(scan), -1);
    }
    return true;
  }

  /**
   * Counts the files set since the last call into the workspace summaries, for up to `budgetMs`
   * (filing a file is cheap; summarizing it is not, so a warm start can file everything first and
   * summarize after, a slice per turn). Answers whether the summaries are complete.
   */
  summarize(budgetMs = Infinity): boolean {
    const start = performance.now();
    while (this.unsummarized.length > 0) {
      const n = this.unsummarized.pop()!;
      const filed = this.filed[n];
      // Replaced or deleted since it was queued: its successor, if any, is queued too.
      if (!filed || filed.dates) continue;
      filed.dates = Uint32Array.from(commitmentDatesOf(filed.scan), (c) => this.dateNumber(c));
      this.countCommitments(n, filed.dates, 1);
      this.entityGroups.update(n, entitiesOf(filed.scan), 1);
      if (performance.now() - start > budgetMs) break;
    }
    return this.unsummarized.length === 0;
  }

  /** The number of a commitment's date (its due date, else its group's label) in the date table. */
  private dateNumber(c: { due: string | null; recurrence: string | null }): number {
    const label = groupLabel(c);
    const key = c.due ?? label;
    let d = this.dateNumbers.get(key);
    if (d === undefined) {
      d = this.dates.length;
      this.dateNumbers.set(key, d);
      this.dates.push({ label, due: c.due ?? '' });
    }
    return d;
  }

  private countCommitments(n: number, dates: Uint32Array, sign: 1 | -1): void {
    const perLabel = new Map<string, number>();
    for (const d of dates) perLabel.set(this.dates[d].label, (perLabel.get(this.dates[d].label) ?? 0) + 1);
    for (const [label, count] of perLabel) {
      const group = this.commitmentGroups.get(label);
      if (!group) this.commitmentGroups.set(label, { count, files: n });
      else if (sign > 0) {
        group.count += count;
        group.files = withFile(group.files, n);
      } else {
        const files = withoutFile(group.files, n);
        if (files === undefined) this.commitmentGroups.delete(label);
        else {
          group.count -= count;
          group.files = files;
        }
      }
    }
  }

  /** The files that mention an entity. */
  filesMentioning(idOrKey: string): string[] {
    return this.filesOf(idOrKey).map((n) => this.filed[n]!.file);
  }

  /** Every mention of an entity, file by file, in document order. */
  mentionsOf(idOrKey: string): [file: string, mentions: Span[]][] {
    return this.filesOf(idOrKey).map((n) => {
      const { file, scan } = this.filed[n]!;
      return [file, spansOf(scan, scan.keys.indexOf(idOrKey))];
    });
  }

  private filesOf(idOrKey: string): readonly number[] {
    const posting = this.byKey.get(idOrKey);
    return posting === undefined ? [] : typeof posting === 'number' ? [posting] : (posting.slice(1) as number[]);
  }

  // The summaries below count the files summarized so far (see summarize).

  /** How many entity groups there are of each type (in ENTITY_TYPES order). */
  entityGroupCounts(): readonly number[] {
    return this.entityGroups.perType;
  }

  /** The `limit` most mentioned entity groups (of one type, or all), most mentioned first. */
  topEntities(limit: number, type?: EntityType): EntitySummary[] {
    return this.entityGroups.top(limit, type).map((g) => this.entitySummary(g));
  }

  private entitySummary(g: number): EntitySummary {
    const group = this.entityGroups.name(g);
    // Name and key as in the group's first file; its counts over them all.
    const first = entitiesOf(this.filed[this.entityGroups.filesOf(g)[0]]!.scan).find((e) => groupOf(e) === group)!;
    return { group, key: first.id ?? first.key, id: first.id, name: first.name, type: first.type, ...this.entityGroups.totals(g) };
  }

  /**
   * The entities that appear together: the `limit` most mentioned groups, and per pair of them how
   * many files hold both. Walks only the kept groups' files.
   */
  cooccurrences(limit: number): { entities: EntitySummary[]; pairs: [a: number, b: number, files: number][]; omitted: number } {
    const kept = this.entityGroups.top(limit);
    const k = kept.length;
    // Per kept group, the files holding it as a bitset; a pair's count is the size of an intersection.
    const words = (this.filed.length + 31) >>> 5;
    const sets = kept.map((g) => {
      const set = new Uint32Array(words);
      for (const n of this.entityGroups.filesOf(g)) set[n >>> 5] |= 1 << (n & 31);
      return set;
    });
    const pairs: [number, number, number][] = [];
    for (let a = 0; a < k; a++) {
      for (let b = a + 1; b < k; b++) {
        let both = 0;
        for (let w = 0; w < words; w++) both += bitCount(sets[a][w] & sets[b][w]);
        if (both > 0) pairs.push([a, b, both]);
      }
    }
    const total = this.entityGroups.perType.reduce((x, y) => x + y, 0);
    return {
      entities: kept.map((g) => this.entitySummary(g)),
      pairs,
      omitted: total - kept.length,
    };
  }

  /** Commitment group labels with how many commitments each holds (in no particular order). */
  commitmentCounts(): [label: string, count: number][] {
    return [...this.commitmentGroups].map(([label, { count }]) => [label, count]);
  }

  /**
   * Commitments `from` .. `from + count - 1` of one group, ordered by due date, then file name, then
   * place in the file: ordered by the dates noted when the files were summarized; only the page's
   * files are decoded.
   */
  commitmentsIn(label: string, from = 0, count = Infinity): [file: string, commitment: IndexedCommitment][] {
    const files = listOf(this.commitmentGroups.get(label)?.files)
      .map((n) => this.filed[n]!)
      .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    // Per date of the group: (file, commitment) pairs as two numbers, in file then place order.
    const byDate = new Map<number, number[]>();
    files.forEach((f, rank) => {
      f.dates!.forEach((d, i) => {
        if (this.dates[d].label !== label) return;
        const list = byDate.get(d);
        if (list) list.push(rank, i);
        else byDate.set(d, [rank, i]);
      });
    });
    const page: [Filed, number][] = [];
    let skip = from;
    for (const d of [...byDate.keys()].sort((a, b) => (this.dates[a].due < this.dates[b].due ? -1 : 1))) {
      const list = byDate.get(d)!;
      for (let p = 2 * skip; p < list.length && page.length < count; p += 2) page.push([files[list[p]], list[p + 1]]);
      skip = Math.max(0, skip - list.length / 2);
      if (page.length >= count) break;
    }
    const decoded = new Map<Filed, IndexedCommitment[]>();
    return page.map(([f, i]) => {
      let commitments = decoded.get(f);
      if (!commitments) decoded.set(f, (commitments = commitmentsOf(f.scan)));
      return [f.file, commitments[i]];
    });
  }

  /** The files read from disk, as the index snapshot lists them. */
  snapshotEntries(): SnapshotEntry[] {
    const entries: SnapshotEntry[] = [];
    for (const f of this.filed) {
      if (f?.path !== undefined && f.size !== undefined && f.mtimeMs !== undefined) entries.push({ path: f.path, size: f.size, mtimeMs: f.mtimeMs, hash: f.scan.hash });
    }
    return entries;
  }
}

function bitCount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Scans to keep at once in the pool: enough to keep every worker busy. */
const WINDOW = 8;
/** The longest the host's thread decodes snapshot records before letting other work run. */
const SLICE_MS = 8;

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
