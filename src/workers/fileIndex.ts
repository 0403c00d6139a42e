// The workspace index's data, without the editor: one compact record per file, and for every entity
// (registry id or document entity key) the files that mention it. Look-ups (hover counts, references,
// rename) are array reads, O(result), kept current as each file is set or removed. So are the summaries
// the views draw (entities by group, commitments by due month), so no view walks every file on a change.
// Keys and group names are held once each, by number (atoms.ts). A commitment's text is not held for a
// file that can be read again (it is read back for the page of the Commitments view that shows it):
// of a 10,000-article workspace's index, that text was the largest part.
// Filling it: records from the index snapshot for the files unchanged since it was written, the others
// scanned in the worker pool; the host's thread only decodes and files what arrives, a little per turn.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ENTITY_TYPES, type EntityType, type Span } from '../core/types';
import { Atoms } from './atoms';
import { commitmentDatesOf, commitmentsOf, decodeRecord, entitiesOf, entityFactsOf, indexKey, spansOf, type FileScan, type IndexedCommitment, type IndexedEntity } from './indexRecord';
import type { ScanOutcome, WorkerPool } from './scanPool';
import type { DiskState, SnapshotEntry } from './snapshot';

/** A file's record as the index holds it: its keys as atoms, its numbers, and where it is on disk and how it was when read (files read from an editor's text have none). */
interface Filed extends Partial<DiskState>, Pick<FileScan, 'hash' | 'date' | 'keyStarts' | 'spans' | 'entities' | 'entityText' | 'commitments' | 'lines'> {
  file: string;
  path?: string;
  /** The record's keys, in its order: atoms of the index's key table, one hold each. */
  keys: Uint32Array;
  /** The commitments' text fields, when the record cannot be read again (see FileIndex's `reread`). */
  commitmentText?: string;
  /** Each commitment's date, a number in FileIndex's date table. */
  dates: Uint32Array;
  /** Once the workspace summaries count this file: per entity its group, an atom of the group table (one hold each). */
  groups?: Uint32Array;
}

/** What the index answers about one file. */
export interface IndexedFile {
  hash: string;
  date: string | null;
  /** The keys its mentions are found under, each once. */
  keys: string[];
  entities: IndexedEntity[];
}

/** Files (by number) holding something: one file as a bare number (no allocation; most keys and groups are in one article), several as a list. */
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

/** `array`, or a copy half as long again when it has no room for index `n`. */
function roomFor<T extends Uint32Array | Int8Array>(array: T, n: number): T {
  if (n < array.length) return array;
  const bigger = new (array.constructor as new (length: number) => T)(Math.max(n + 1, Math.ceil(array.length * 1.5)));
  bigger.set(array);
  return bigger;
}

/** Entity groups: atoms of one table, with their files, mention totals and types in arrays indexed by atom. */
class EntityGroups {
  readonly names = new Atoms();
  private readonly files: (Files | undefined)[] = [];
  private mentions = new Uint32Array(1024);
  /** A group's type, as its place in ENTITY_TYPES (-1: no such group now). */
  private types = new Int8Array(1024).fill(-1);
  /** Groups per type, kept so the views' top level needs no walk. */
  readonly perType = ENTITY_TYPES.map(() => 0);
  /** Per type, how many groups have each mention count: the least count a page of the most mentioned takes is read off it. */
  private readonly perCount = ENTITY_TYPES.map(() => new Map<number, number>());

  /** Counts file n's entities in: the group of each, to keep with the file. */
  add(n: number, entities: readonly Omit<IndexedEntity, 'key'>[]): Uint32Array {
    const groups = new Uint32Array(entities.length);
    entities.forEach((e, i) => {
      const g = (groups[i] = this.names.add(groupOf(e)));
      this.mentions = roomFor(this.mentions, g);
      if (g >= this.types.length) this.types = roomFor(this.types, g).fill(-1, this.types.length);
      if (this.types[g] < 0) {
        this.types[g] = ENTITY_TYPES.indexOf(e.type);
        this.perType[this.types[g]]++;
        this.mentions[g] = 0;
        this.tally(g, 1);
      }
      this.recount(g, this.mentions[g] + e.mentionCount);
      this.files[g] = withFile(this.files[g], n);
    });
    return groups;
  }

  /** Counts file n's entities out (`groups` as `add` gave them, `counts` their mention counts). */
  remove(n: number, groups: Uint32Array, counts: (i: number) => number): void {
    groups.forEach((g, i) => {
      this.recount(g, this.mentions[g] - counts(i));
      const files = this.files[g];
      this.files[g] = files === undefined ? undefined : withoutFile(files, n);
      if (this.names.release(g)) return;
      this.tally(g, -1);
      this.perType[this.types[g]]--;
      this.types[g] = -1;
      this.files[g] = undefined;
    });
  }

  /** Group g's mention count is now `count`. */
  private recount(g: number, count: number): void {
    this.tally(g, -1);
    this.mentions[g] = count;
    this.tally(g, 1);
  }

  /** Adds group g to (1) or takes it from (-1) its type's tally of groups per mention count. */
  private tally(g: number, sign: 1 | -1): void {
    const counts = this.perCount[this.types[g]];
    const now = (counts.get(this.mentions[g]) ?? 0) + sign;
    if (now > 0) counts.set(this.mentions[g], now);
    else counts.delete(this.mentions[g]);
  }

  /** The `limit` groups with the most mentions (of one type, or all), best first; ties by group name. */
  top(limit: number, type?: EntityType): number[] {
    const wanted = type === undefined ? -1 : ENTITY_TYPES.indexOf(type);
    // The least mention count that fills the page, from the tallies; then one pass finds the groups at or
    // above it, and only those are sorted. The pass tests types inline: it runs over every group.
    const tally = new Map<number, number>();
    this.perCount.forEach((counts, t) => {
      if (wanted < 0 || t === wanted) for (const [count, groups] of counts) tally.set(count, (tally.get(count) ?? 0) + groups);
    });
    let least = Infinity;
    let above = 0;
    for (const count of [...tally.keys()].sort((a, b) => b - a)) {
      if (above >= limit) break;
      above += tally.get(count)!;
      least = count;
    }
    const { mentions, types } = this;
    const bound = Math.min(types.length, this.names.bound);
    // Names are read once per group sorted (they are bytes until read).
    const found: [g: number, name: string][] = [];
    for (let g = 0; g < bound; g++) {
      const t = types[g];
      if (t >= 0 && (wanted < 0 || t === wanted) && mentions[g] >= least) found.push([g, this.names.text(g)]);
    }
    return found
      .sort(([a, x], [b, y]) => mentions[b] - mentions[a] || (x < y ? -1 : 1))
      .slice(0, limit)
      .map(([g]) => g);
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
  /** Every key of every record, held once. */
  private readonly keys = new Atoms();
  /** Per key (by atom), the files with mentions under it. */
  private readonly postings: (Files | undefined)[] = [];
  private readonly entityGroups = new EntityGroups();
  /** Commitment dates, numbered: each due date (or, undated, its group's label) once, with its group's label. */
  private readonly dates: { label: string; due: string }[] = [];
  private readonly dateNumbers = new Map<string, number>();
  /** Files set but not yet counted in the summaries (see summarize). */
  private readonly unsummarized: number[] = [];
  /** Commitments by group label: how many, and in which files. */
  private readonly commitmentGroups = new Map<string, { count: number; files: Files }>();

  /**
   * `reread`: the record of a file on disk, by its path and the content hash it was filed with (from
   * the scan cache), or null; with it the index does not hold the text of those files' commitments,
   * and reads it back when it is asked for.
   */
  constructor(private readonly reread?: (path: string, hash: string) => Promise<FileScan | null>) {}

  get size(): number {
    return this.numbers.size;
  }

  get(file: string): IndexedFile | undefined {
    const n = this.numbers.get(file);
    if (n === undefined) return undefined;
    const f = this.filed[n]!;
    return { hash: f.hash, date: f.date, keys: [...f.keys].map((a) => this.keys.text(a)), entities: this.entitiesOf(f) };
  }

  /** Files `scan` (the index keeps its numbers; its strings, but for the entity names, are held once per index or not at all). */
  set(file: string, scan: FileScan, source?: { path: string; disk: DiskState }): void {
    this.delete(file);
    const n = this.freeNumbers.pop() ?? this.filed.length;
    this.numbers.set(file, n);
    const { hash, date, keyStarts, spans, entities, entityText, commitments, lines } = scan;
    const keys = Uint32Array.from(scan.keys, (k) => this.keys.add(k));
    const dates = Uint32Array.from(commitmentDatesOf(scan), (c) => this.dateNumber(c));
    const kept = this.reread && source ? undefined : scan.commitmentText;
    this.filed[n] = { file, hash, date, keys, keyStarts, spans, entities, entityText, commitments, commitmentText: kept, lines, dates, ...(source && { path: source.path, size: source.disk.size, mtimeMs: source.disk.mtimeMs }) };
    for (let k = 0; k < keys.length; k++) if (keyStarts[k] < keyStarts[k + 1]) this.postings[keys[k]] = withFile(this.postings[keys[k]], n);
    this.unsummarized.push(n);
  }

  delete(file: string): boolean {
    const n = this.numbers.get(file);
    if (n === undefined) return false;
    const f = this.filed[n]!;
    this.numbers.delete(file);
    this.filed[n] = undefined;
    this.freeNumbers.push(n);
    f.keys.forEach((a, k) => {
      const files = this.postings[a];
      if (files !== undefined && f.keyStarts[k] < f.keyStarts[k + 1]) this.postings[a] = withoutFile(files, n);
      this.keys.release(a);
    });
    if (f.groups) {
      this.countCommitments(n, f.dates, -1);
      this.entityGroups.remove(n, f.groups, (i) => f.entities[3 * i + 2]);
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
      const f = this.filed[n];
      // Replaced or deleted since it was queued: its successor, if any, is queued too.
      if (!f || f.groups) continue;
      this.countCommitments(n, f.dates, 1);
      f.groups = this.entityGroups.add(n, entityFactsOf(f));
      if (performance.now() - start > budgetMs) break;
    }
    return this.unsummarized.length === 0;
  }

  private entitiesOf(f: Filed): IndexedEntity[] {
    return entitiesOf(f, (k) => this.keys.text(f.keys[k]));
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
    const a = this.keys.find(indexKey(idOrKey));
    return this.filesOf(idOrKey).map((n) => {
      const f = this.filed[n]!;
      return [f.file, spansOf(f, f.keys.indexOf(a))];
    });
  }

  private filesOf(idOrKey: string): readonly number[] {
    const a = this.keys.find(indexKey(idOrKey));
    return a < 0 ? [] : listOf(this.postings[a]);
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
    // Name and key as in the group's first file; its counts over them all.
    const f = this.filed[this.entityGroups.filesOf(g)[0]]!;
    const first = this.entitiesOf(f)[f.groups!.indexOf(g)];
    return { group: this.entityGroups.names.text(g), key: first.id ?? first.key, id: first.id, name: first.name, type: first.type, ...this.entityGroups.totals(g) };
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
   * place in the file: ordered by the dates noted when the files were filed; only the page's files
   * are decoded (and, for those whose text is not held, read again: a file whose record cannot be
   * read again as it was filed gives none until it is filed again).
   */
  async commitmentsIn(label: string, from = 0, count = Infinity): Promise<[file: string, commitment: IndexedCommitment][]> {
    const files = listOf(this.commitmentGroups.get(label)?.files)
      .map((n) => this.filed[n]!)
      .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    // Per date of the group: (file, commitment) pairs as two numbers, in file then place order.
    const byDate = new Map<number, number[]>();
    files.forEach((f, rank) => {
      f.dates.forEach((d, i) => {
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
    const decoded = new Map<Filed, Promise<IndexedCommitment[]>>();
    for (const [f] of page) if (!decoded.has(f)) decoded.set(f, this.commitmentsOf(f));
    const found: [string, IndexedCommitment][] = [];
    for (const [f, i] of page) {
      const commitment = (await decoded.get(f)!)[i];
      if (commitment) found.push([f.file, commitment]);
    }
    return found;
  }

  private async commitmentsOf(f: Filed): Promise<IndexedCommitment[]> {
    if (f.commitmentText !== undefined) return commitmentsOf({ commitments: f.commitments, commitmentText: f.commitmentText });
    const again = f.path !== undefined && this.reread ? await this.reread(f.path, f.hash).catch(() => null) : null;
    return again && again.hash === f.hash ? commitmentsOf(again) : [];
  }

  /** The files read from disk, as the index snapshot lists them. */
  snapshotEntries(): SnapshotEntry[] {
    const entries: SnapshotEntry[] = [];
    for (const f of this.filed) {
      if (f?.path !== undefined && f.size !== undefined && f.mtimeMs !== undefined) entries.push({ path: f.path, size: f.size, mtimeMs: f.mtimeMs, hash: f.hash });
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
