// The index snapshot: one file per scan-cache generation listing every indexed article (path, size,
// modification time, content hash) with its record, so a reopened workspace reads one file instead of
// one record per article. Written by a worker after indexing, atomically (a reader sees the old file
// or the new one). Opened by the host with asynchronous reads and stats (its thread only parses the
// list), without waiting for the workers, which may still be loading the registry: each article's
// size and time are checked (one whose time alone changed is re-hashed: a checkout or a copy keeps the
// content). A damaged or foreign snapshot is not used: the articles are scanned instead (or read from
// the scan cache, which stays keyed by content hash).
import { setImmediate as nextTurn } from 'node:timers/promises';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileSize, sha1, writeRecordThrough } from './diskCache';

/** 'ATIX', little-endian. */
const MAGIC = 0x58495441;
const FORMAT = 1;
/** Magic, format, manifest bytes. */
const HEADER_BYTES = 12;
export const SNAPSHOT_FILE = 'index.snapshot';
/** The format of the scan cache's records (indexRecord.ts) and of the snapshot. */
const SCAN_FORMAT = 3;
/**
 * A file modified this recently may change again within the file system's time resolution without
 * its size or time changing: its time is not trusted (stored as -1), so the next start re-hashes it.
 */
const RACY_MS = 3_000;

/** An article on disk as it was when read. */
export interface DiskState {
  size: number;
  /** -1 when it was modified too recently to be trusted. */
  mtimeMs: number;
}

export interface SnapshotEntry extends DiskState {
  path: string;
  hash: string;
}

/** The snapshot's bytes, and where each unchanged article's record lies in them. */
export interface SnapshotFound {
  bytes: Uint8Array;
  fresh: { path: string; disk: DiskState; at: number; length: number }[];
  /** Articles to scan: new, changed, or without a usable snapshot. */
  stale: string[];
  /** How many articles the snapshot lists: when all are fresh, it needs no rewriting. */
  listed: number;
}

interface Manifest {
  generation: string;
  files: [path: string, size: number, mtimeMs: number, hash: string][];
  /** Where each record lies after the manifest: by content hash, so articles with the same text share one. */
  records: [hash: string, at: number, length: number][];
}

/** Scans of one code version (the worker bundle's hash) and registry version: a generation, in one folder (the others are pruned). */
export function scanGeneration(code: string, registryVersion: string): string {
  return `${SCAN_FORMAT}-${code}-${registryVersion}`;
}

/** Where a generation's scans are kept: records by content hash, and the snapshot. */
export function scanDir(cacheDir: string, generation: string): string {
  return path.join(cacheDir, 'scans', generation);
}

const RECORD_SUFFIX = '.bin';

/** The name of a text's record in a generation's folder: its content hash. */
export function recordName(hash: string): string {
  return hash + RECORD_SUFFIX;
}

export function diskState(stat: fs.Stats, now = Date.now()): DiskState {
  return { size: stat.size, mtimeMs: now - stat.mtimeMs < RACY_MS ? -1 : stat.mtimeMs };
}

export function readBytes(file: string): Uint8Array | null {
  try {
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}

interface Snapshot {
  bytes: Uint8Array;
  manifest: Manifest;
  /** hash → its record's place in `bytes`. */
  records: Map<string, [at: number, length: number]>;
}

function parseSnapshot(bytes: Uint8Array | null, generation: string): Snapshot | null {
  if (!bytes || bytes.byteLength < HEADER_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const manifestBytes = view.getUint32(8, true);
  if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== FORMAT || HEADER_BYTES + manifestBytes > bytes.byteLength) return null;
  try {
    const manifest = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + HEADER_BYTES, manifestBytes).toString('utf8')) as Manifest;
    if (manifest.generation !== generation || !Array.isArray(manifest.files) || !Array.isArray(manifest.records)) return null;
    const base = HEADER_BYTES + manifestBytes;
    const records = new Map<string, [number, number]>();
    for (const [hash, at, length] of manifest.records) {
      if (!Number.isInteger(at) || !Number.isInteger(length) || at < 0 || length < 0 || base + at + length > bytes.byteLength) return null;
      records.set(hash, [base + at, length]);
    }
    return { bytes, manifest, records };
  } catch {
    return null;
  }
}

/** Files stat'ed at once, and checked per turn: either way, the host's thread does a bounded amount of work per turn. */
const BATCH = 512;

/** Which of `files` the snapshot of this generation still describes, and which must be scanned. */
export async function openSnapshot(cacheDir: string, generation: string, files: readonly string[]): Promise<SnapshotFound> {
  // The snapshot is read while the files are stat'ed: both wait on the disk, not on this thread.
  const [bytes, stats] = await Promise.all([readFile(path.join(scanDir(cacheDir, generation), SNAPSHOT_FILE)).catch(() => null), statAll(files)]);
  const snapshot = parseSnapshot(bytes, generation);
  if (!snapshot) return { bytes: new Uint8Array(0), fresh: [], stale: [...files], listed: 0 };
  await nextTurn();
  const known = new Map(snapshot.manifest.files.map((f) => [f[0], f]));
  const found: SnapshotFound = { bytes: snapshot.bytes, fresh: [], stale: [], listed: known.size };
  const now = Date.now();
  // Same size and a trusted, unchanged time: fresh at once. The same size at another time: re-hashed below.
  const toHash: [file: string, disk: DiskState, hash: string, record: [number, number]][] = [];
  for (let i = 0; i < files.length; i++) {
    if (i % BATCH === BATCH - 1) await nextTurn();
    const file = files[i];
    const listed = known.get(file);
    const record = listed && snapshot.records.get(listed[3]);
    const stat = stats[i];
    if (!stat || !listed || !record) {
      found.stale.push(file);
      continue;
    }
    const disk = diskState(stat, now);
    if (disk.size !== listed[1]) found.stale.push(file);
    else if (disk.mtimeMs === listed[2] && listed[2] >= 0) found.fresh.push({ path: file, disk, at: record[0], length: record[1] });
    else toHash.push([file, disk, listed[3], record]);
  }
  // The same text if it hashes the same (as the scans hash it: the UTF-8 text).
  const hashes = await Promise.all(toHash.map(([file]) => readFile(file, 'utf8').then(sha1, () => null)));
  toHash.forEach(([file, disk, hash, [at, length]], i) => {
    if (hashes[i] === hash) found.fresh.push({ path: file, disk, at, length });
    else found.stale.push(file);
  });
  return found;
}

const readFile = promisify(fs.readFile);

/** Every file's stats (null for one that cannot be stat'ed), a batch at a time. */
async function statAll(files: readonly string[]): Promise<(fs.Stats | null)[]> {
  const stats: (fs.Stats | null)[] = new Array(files.length).fill(null);
  for (let from = 0; from < files.length; from += BATCH) {
    await new Promise<void>((resolve) => {
      const batch = files.slice(from, from + BATCH);
      let left = batch.length;
      batch.forEach((file, i) =>
        fs.stat(file, (error, stat) => {
          if (!error) stats[from + i] = stat;
          if (--left === 0) resolve();
        }),
      );
    });
  }
  return stats;
}

/**
 * Writes the snapshot of `entries`: each record from the generation's scan cache (`<hash>.bin`), else
 * from the snapshot there now; an article whose record is in neither is left out (scanned next time).
 * Records are copied one at a time through one buffer, never all held at once: the memory a worker
 * takes for this stays the size of the largest record, however large the workspace.
 */
export function saveSnapshot(cacheDir: string, generation: string, entries: readonly SnapshotEntry[]): void {
  const started = Date.now();
  const dir = scanDir(cacheDir, generation);
  const previous = parseSnapshot(readBytes(path.join(dir, SNAPSHOT_FILE)), generation);
  /** Per record, in the order written: its own file, or its place in the previous snapshot. */
  const sources: { file?: string; old?: [number, number]; length: number }[] = [];
  const records = new Map<string, [number, number]>();
  const files: Manifest['files'] = [];
  let at = 0;
  for (const e of entries) {
    if (!records.has(e.hash)) {
      const file = path.join(dir, recordName(e.hash));
      const size = fileSize(file);
      const old = previous?.records.get(e.hash);
      const source = size !== null ? { file, length: size } : old ? { old, length: old[1] } : null;
      if (!source) continue;
      records.set(e.hash, [at, source.length]);
      sources.push(source);
      at += source.length;
    }
    files.push([e.path, e.size, e.mtimeMs, e.hash]);
  }
  const manifest: Manifest = { generation, files, records: [...records].map(([hash, [a, n]]) => [hash, a, n]) };
  const text = Buffer.from(JSON.stringify(manifest));
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(FORMAT, 4);
  header.writeUInt32LE(text.length, 8);
  let buffer = Buffer.allocUnsafeSlow(64 * 1024);
  writeRecordThrough(dir, SNAPSHOT_FILE, (write) => {
    write(header);
    write(text);
    for (const source of sources) {
      if (source.old) {
        write(previous!.bytes.subarray(source.old[0], source.old[0] + source.old[1]));
        continue;
      }
      if (buffer.byteLength < source.length) buffer = Buffer.allocUnsafeSlow(source.length);
      // A record removed since its size was taken (records are written whole, by rename): this snapshot is not written; the next one will be.
      if (readInto(source.file!, buffer, source.length) !== source.length) throw new Error(`${source.file} changed while the snapshot was written`);
      write(buffer.subarray(0, source.length));
    }
  });
  pruneRecords(dir, new Set(entries.map((e) => e.hash)), started);
}

/**
 * Removes the records of texts no article has any more (earlier versions of edited articles, deleted
 * ones), so that the scan cache stays the size of the workspace. A record written after `before`
 * may belong to a scan the snapshot's list did not know of yet: it stays. A record removed while it
 * was wanted is only a cache miss (the host scans the file again).
 */
function pruneRecords(dir: string, keep: ReadonlySet<string>, before: number): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.endsWith(RECORD_SUFFIX) || keep.has(name.slice(0, -RECORD_SUFFIX.length))) continue;
    const file = path.join(dir, name);
    try {
      if (fs.statSync(file).mtimeMs < before) fs.unlinkSync(file);
    } catch {
      // Gone already, or not ours to remove: nothing to do.
    }
  }
}


/** Reads the first `length` bytes of a file into `buffer`: how many it could read (-1: none, the file is gone or unreadable). */
function readInto(file: string, buffer: Buffer, length: number): number {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return -1;
  }
  try {
    let read = 0;
    for (let n = 1; n > 0 && read < length; read += n) n = fs.readSync(fd, buffer, read, length - read, read);
    return read;
  } finally {
    fs.closeSync(fd);
  }
}
