// The registry in force from its files: each file parsed (a file that does not parse falls back to
// its last good text), all merged, and its matcher built. The result is compiled into one byte layout
// with three uses: the disk cache (named by a hash of every input and the running code, so the next
// start reads it instead of YAML and builds no matcher), the copy the workers share (on a
// SharedArrayBuffer: the matcher is viewed in place, never rebuilt or copied per worker), and what the
// extension host holds. Everyone decodes an entity the first time it reads more than its id, so a
// start allocates little; a sorted index of the words of every id, name and alias answers completion
// without decoding the entities; a SHA-1 over the whole file refuses any damage.
// Shared by the editor's workers and the CLI.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { RegistryMatcher } from '../core/matcher';
import { isFatalRegistryProblem, mergeRegistries, parseRegistry } from '../core/registry';
import type { Problem, Registry, RegistryEntity } from '../core/types';
import { codeVersion, pruneOldest, sha1, writeRecord } from './diskCache';
import type { RegistryFileState, RegistrySource } from './protocol';

const FORMAT = 3;
/** 'ATRG', little-endian: the first word of every compiled registry. */
const MAGIC = 0x47525441;
/** Magic, format, entity count, word keys, meta bytes, id bytes, entity bytes, word bytes, matcher bytes, total bytes. */
const HEADER_WORDS = 10;
/** The SHA-1 of every other byte of the file follows the header's words (and 4 bytes of padding). */
const DIGEST_AT = HEADER_WORDS * 4;
const DIGEST_BYTES = 20;
const HEADER_BYTES = 64;
/** Hashed per turn of the host's event loop when it checks a file (about 2 ms each). */
const DIGEST_SLICE_BYTES = 1 << 20;
/** Compiled registries kept in a cache folder: the one in force and a few recent ones (undo, other windows). */
const KEPT = 3;

export interface LoadedRegistry {
  registry: Registry;
  files: RegistryFileState[];
  crossFile: Problem[];
  /** True when the compiled cache answered. */
  cached: boolean;
}

/** What the extension host holds: the registry (its entities decoded when read) and the bytes behind it. */
export interface HostRegistry extends LoadedRegistry {
  compiled: CompiledRegistry;
}

/** What is stored beside the entities: problems shared between lists are stored once, by index. */
interface Meta {
  version: string;
  problems: Problem[];
  files: RegistryFileState[];
  crossFile: number[];
}

/** The name of the compiled registry of these sources, as built by the code whose hash is `code`. */
export function compiledName(sources: readonly RegistrySource[], code = codeVersion()): string {
  return `registry-${sha1([FORMAT, code, ...sources.flatMap((s) => [s.file, s.text, s.lastGood ?? '\u0000'])])}.bin`;
}

/** Parses and merges the sources and builds the matcher: the compiled registry, on a SharedArrayBuffer. */
export function compileRegistry(sources: readonly RegistrySource[]): Uint8Array {
  return encode(parseSources(sources));
}

/**
 * The registry from the CLI's point of view: from the compiled cache in `cacheDir` when it holds these
 * sources (a damaged record is ignored and written again), else parsed, and then cached.
 */
export function loadRegistryFiles(sources: readonly RegistrySource[], cacheDir?: string): LoadedRegistry & { matcher: RegistryMatcher | null } {
  const name = compiledName(sources);
  const hit = cacheDir ? readCompiled(path.join(cacheDir, name)) : null;
  if (hit) {
    try {
      const compiled = CompiledRegistry.openChecked(hit);
      const loaded = lazyRegistry(compiled);
      return { ...loaded, matcher: matcherOf(loaded.registry, compiled), cached: true };
    } catch {
      // A damaged record: parse the files instead (and write it again).
    }
  }
  const loaded = parseSources(sources);
  if (!cacheDir) return { ...loaded, matcher: null, cached: false };
  // The compiled bytes hold the matcher just built: the caller scans with it instead of building another.
  const bytes = encode(loaded);
  writeCompiled(cacheDir, name, bytes);
  return { ...loaded, matcher: matcherOf(loaded.registry, CompiledRegistry.open(bytes)), cached: false };
}

/** The matcher stored in a compiled registry, viewed in place; null when there is none to load. */
function matcherOf(registry: Registry, compiled: CompiledRegistry): RegistryMatcher | null {
  if (registry.entities.length === 0) return null;
  try {
    return RegistryMatcher.load(registry, compiled.matcher);
  } catch {
    return null;
  }
}

/** The bytes of a compiled registry file, or null when there is none to read. */
function readCompiled(file: string): Uint8Array | null {
  try {
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}

/** Reads a compiled registry file onto a SharedArrayBuffer without blocking the thread; null when there is none. */
export async function readCompiledShared(file: string): Promise<Uint8Array | null> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(file, 'r');
    const { size } = await handle.stat();
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    for (let at = 0; at < size; ) {
      const { bytesRead } = await handle.read(bytes, at, size - at, at);
      if (bytesRead === 0) return null;
      at += bytesRead;
    }
    return bytes;
  } catch {
    return null;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Writes a compiled registry (atomically) and drops all but the most recent few in its folder. */
export function writeCompiled(dir: string, name: string, bytes: Uint8Array): void {
  writeRecord(dir, name, bytes);
  pruneOldest(dir, KEPT, name);
}

/**
 * A compiled registry in bytes, checked for shape when opened: sections in bounds and entity offsets
 * in order, so a truncated or foreign file throws here rather than decoding to nonsense. Bytes read
 * from disk are opened with their checksum checked too (`openChecked`, or `hostRegistry` in slices).
 */
export class CompiledRegistry {
  private constructor(
    private readonly bytes: Uint8Array,
    private readonly view: DataView,
    readonly count: number,
    private readonly wordKeys: number,
    private readonly metaAt: number,
    private readonly idsAt: number,
    private readonly entitiesAt: number,
    private readonly wordsAt: number,
    /** The automaton's bytes, viewed in place (empty for a registry without entities). */
    readonly matcher: Uint8Array,
  ) {}

  static open(bytes: Uint8Array): CompiledRegistry {
    if (bytes.byteLength < HEADER_BYTES) fail('too short');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const word = (i: number): number => view.getUint32(i * 4, true);
    if (word(0) !== MAGIC) fail('not a compiled registry');
    if (word(1) !== FORMAT) fail(`format ${word(1)}, expected ${FORMAT}`);
    const [count, wordKeys, metaBytes, idBytes, entityBytes, wordBytes, matcherBytes, total] = [2, 3, 4, 5, 6, 7, 8, 9].map(word);
    const metaAt = HEADER_BYTES + 4 * (count + 1) + 8 * wordKeys;
    const idsAt = metaAt + metaBytes;
    const entitiesAt = idsAt + idBytes;
    const wordsAt = entitiesAt + entityBytes;
    const matcherAt = align8(wordsAt + wordBytes);
    if (total !== bytes.byteLength || matcherAt + matcherBytes !== total) fail('truncated or inconsistent');
    const matcher = bytes.subarray(matcherAt, matcherAt + matcherBytes);
    const compiled = new CompiledRegistry(bytes, view, count, wordKeys, metaAt, idsAt, entitiesAt, wordsAt, matcher);
    for (let i = 0, last = 0; i <= count; i++) {
      const offset = compiled.offset(i);
      if (offset < last || offset > entityBytes) fail('entity offsets out of order');
      last = offset;
    }
    if (compiled.offset(count) !== entityBytes) fail('entity offsets do not cover the entities');
    return compiled;
  }

  /** Opens bytes read from disk, checking their checksum (the CLI). */
  static openChecked(bytes: Uint8Array): CompiledRegistry {
    const compiled = CompiledRegistry.open(bytes);
    checkDigest(bytes, finish(digestSteps(bytes)));
    return compiled;
  }

  meta(): Meta {
    return JSON.parse(this.text(this.metaAt, this.idsAt)) as Meta;
  }

  /** Every entity's id, in order, `per` at a time (each id's JSON string is on a line of its own). */
  *ids(per: number): Generator<string[]> {
    if (this.count === 0) return;
    const text = this.text(this.idsAt, this.entitiesAt);
    for (let start = 0; ; ) {
      let end = start - 1;
      for (let n = 0; n < per; n++) {
        end = text.indexOf('\n', end + 1);
        if (end === -1) break;
      }
      yield JSON.parse(`[${text.slice(start, end === -1 ? text.length : end).replaceAll('\n', ',')}]`) as string[];
      if (end === -1) return;
      start = end + 1;
    }
  }

  /** Entities `from` .. `to` - 1, decoded. */
  entities(from: number, to: number): RegistryEntity[] {
    if (from >= to) return [];
    // Each entity's JSON is followed by a comma: a run of them, less the last comma, is a JSON array's body.
    return JSON.parse(`[${this.text(this.entitiesAt + this.offset(from), this.entitiesAt + this.offset(to) - 1)}]`) as RegistryEntity[];
  }

  /**
   * The indexes of up to `limit` entities with a word of their id, name or an alias starting with
   * `prefix` (case and accents aside), in the order of those words: a binary search of the sorted
   * words, nothing decoded but the words read.
   */
  entitiesWithWordStarting(prefix: string, limit: number): number[] {
    const wanted = foldWords(prefix);
    let low = 0;
    for (let high = this.wordKeys; low < high; ) {
      const mid = (low + high) >>> 1;
      if (this.wordKey(mid) < wanted) low = mid + 1;
      else high = mid;
    }
    const found = new Set<number>();
    for (let k = low; k < this.wordKeys && found.size < limit && this.wordKey(k).startsWith(wanted); k++) found.add(this.wordKeyEntity(k));
    return [...found];
  }

  private offset(i: number): number {
    return this.view.getUint32(HEADER_BYTES + 4 * i, true);
  }

  /** Word key `k`: a folded surface from one of its word starts to its end. */
  private wordKey(k: number): string {
    const start = this.wordsAt + this.view.getUint32(HEADER_BYTES + 4 * (this.count + 1) + 8 * k, true);
    return this.text(start, this.bytes.indexOf(0, start));
  }

  private wordKeyEntity(k: number): number {
    return this.view.getUint32(HEADER_BYTES + 4 * (this.count + 1) + 8 * k + 4, true);
  }

  private text(start: number, end: number): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, end - start).toString('utf8');
  }
}

function fail(why: string): never {
  throw new Error(`Compiled registry: ${why}`);
}

/** Runs a job of small steps at once. */
function finish<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs a job of small steps, one per turn of the event loop: the extension host is never held long. */
async function finishInTurns<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await nextTurn();
  }
}

/** The SHA-1 of a compiled registry's bytes but its own, a slice per step. */
function* digestSteps(bytes: Uint8Array): Generator<void, Buffer> {
  const hash = createHash('sha1').update(bytes.subarray(0, DIGEST_AT));
  for (let at = DIGEST_AT + DIGEST_BYTES; at < bytes.byteLength; at += DIGEST_SLICE_BYTES) {
    hash.update(bytes.subarray(at, Math.min(at + DIGEST_SLICE_BYTES, bytes.byteLength)));
    yield;
  }
  return hash.digest();
}

function checkDigest(bytes: Uint8Array, digest: Buffer): void {
  if (!digest.equals(bytes.subarray(DIGEST_AT, DIGEST_AT + DIGEST_BYTES))) fail('damaged (checksum mismatch)');
}

/**
 * The registry of a compiled registry, each entity decoded the first time a field other than its id
 * is read: the workers and the CLI hold ids and a map, not 50,000 decoded entities.
 */
export function lazyRegistry(compiled: CompiledRegistry): Omit<LoadedRegistry, 'cached'> {
  return finish(lazySteps(compiled));
}

/**
 * The same for the extension host, from bytes it has not checked yet: the checksum first, then the
 * registry, a slice of each per turn of the event loop. Throws on a damaged file.
 */
export async function hostRegistry(bytes: Uint8Array): Promise<{ compiled: CompiledRegistry; loaded: Omit<LoadedRegistry, 'cached'> }> {
  const compiled = CompiledRegistry.open(bytes);
  checkDigest(bytes, await finishInTurns(digestSteps(bytes)));
  return { compiled, loaded: await finishInTurns(lazySteps(compiled)) };
}

/** Entities made per step of `lazySteps` (a few milliseconds' work). */
const LAZY_SLICE = 5_000;

function* lazySteps(compiled: CompiledRegistry): Generator<void, Omit<LoadedRegistry, 'cached'>> {
  const meta = compiled.meta();
  const entities: RegistryEntity[] = [];
  const byId = new Map<string, RegistryEntity>();
  for (const ids of compiled.ids(LAZY_SLICE)) {
    for (const id of ids) {
      const entity = new StoredEntity(id, compiled, entities.length);
      entities.push(entity);
      // Ids are unique: the merge drops a duplicate.
      byId.set(id, entity);
    }
    yield;
  }
  if (entities.length !== compiled.count) fail('ids and entities disagree');
  return {
    registry: { entities, byId, problems: meta.problems, version: meta.version },
    files: meta.files,
    crossFile: meta.crossFile.map((i) => meta.problems[i]),
  };
}

/**
 * What a worker holds: the registry, its entities decoded one by one when first read (a scan reads
 * few), and the matcher viewing the shared bytes (built here only if they do not load).
 */
export function sharedRegistry(compiled: CompiledRegistry): { registry: Registry; matcher: RegistryMatcher | null } {
  const { registry } = lazyRegistry(compiled);
  if (registry.entities.length === 0) return { registry, matcher: null };
  try {
    return { registry, matcher: RegistryMatcher.load(registry, compiled.matcher) };
  } catch {
    return { registry, matcher: new RegistryMatcher(registry) };
  }
}

/** An entity of a compiled registry, decoded from its bytes the first time a field other than its id is read. */
class StoredEntity implements RegistryEntity {
  private decoded: RegistryEntity | undefined;

  constructor(
    readonly id: string,
    private readonly compiled: CompiledRegistry,
    private readonly index: number,
  ) {}

  private get entity(): RegistryEntity {
    return (this.decoded ??= this.compiled.entities(this.index, this.index + 1)[0]);
  }

  get name(): string {
    return this.entity.name;
  }

  get type(): RegistryEntity['type'] {
    return this.entity.type;
  }

  get aliases(): string[] {
    return this.entity.aliases;
  }

  get country(): string | undefined {
    return this.entity.country;
  }

  get roles(): RegistryEntity['roles'] {
    return this.entity.roles;
  }

  get notes(): string | undefined {
    return this.entity.notes;
  }

  get source(): RegistryEntity['source'] {
    return this.entity.source;
  }

  /** Serialised as the entity it stands for. */
  toJSON(): RegistryEntity {
    return this.entity;
  }
}

function parseSources(sources: readonly RegistrySource[]): Omit<LoadedRegistry, 'cached'> {
  const files: RegistryFileState[] = [];
  const good: Registry[] = [];
  for (const source of sources) {
    const parsed = parseRegistry(source.text, source.file);
    if (!parsed.problems.some(isFatalRegistryProblem)) {
      good.push(parsed);
      files.push({ file: source.file, problems: parsed.problems, used: 'current' });
      continue;
    }
    const last = source.lastGood === undefined ? null : parseRegistry(source.lastGood, source.file);
    if (last) good.push(last);
    files.push({ file: source.file, problems: parsed.problems, used: last ? 'last-good' : 'none' });
  }
  const registry = mergeRegistries(good);
  const own = new Set(good.flatMap((r) => r.problems));
  return { registry, files, crossFile: registry.problems.filter((p) => !own.has(p)) };
}

const align8 = (n: number): number => (n + 7) & ~7;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** How completion compares names: lower case, without accents, spaces collapsed. */
function foldWords(text: string): string {
  // Most names are plain ASCII, where the full folding changes nothing but the case and the spaces.
  if (PRINTABLE_ASCII.test(text)) return text.toLowerCase().replace(/ {2,}/g, ' ').trim();
  return text.toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '').replace(/\s+/gu, ' ').trim();
}

/** A letter or digit after none: where a word starts (`naqvi` in `mohsin-naqvi`). */
const WORD_START = /(?<![\p{L}\p{N}])[\p{L}\p{N}]/gu;

/**
 * The word index: every distinct folded id, name and alias of an entity once (each ended by a NUL
 * byte), and a key per surface and per later word start in it (the surface from there to its end),
 * sorted, each as the byte offset of its text and its entity.
 */
function wordIndex(entities: readonly RegistryEntity[]): { text: string; keys: Uint32Array } {
  const parts: string[] = [];
  const keys: string[] = [];
  const at: number[] = [];
  const entityOf: number[] = [];
  let bytes = 0;
  const add = (key: string, offset: number, entity: number): void => {
    keys.push(key);
    at.push(offset);
    entityOf.push(entity);
  };
  entities.forEach((entity, e) => {
    for (const surface of new Set([entity.id, entity.name, ...entity.aliases].map(foldWords))) {
      const ascii = PRINTABLE_ASCII.test(surface);
      add(surface, bytes, e);
      for (const word of surface.matchAll(WORD_START)) {
        const start = word.index ?? 0;
        if (start > 0) add(surface.slice(start), bytes + (ascii ? start : Buffer.byteLength(surface.slice(0, start))), e);
      }
      parts.push(surface, '\u0000');
      bytes += (ascii ? surface.length : Buffer.byteLength(surface)) + 1;
    }
  });
  const order = Array.from(keys.keys()).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
  const table = new Uint32Array(2 * order.length);
  order.forEach((k, i) => {
    table[2 * i] = at[k];
    table[2 * i + 1] = entityOf[k];
  });
  return { text: parts.join(''), keys: table };
}

/**
 * Lays out header (with the checksum), entity offsets, word keys, meta JSON, ids (a JSON string a
 * line), entity JSON (each followed by a comma), the words' text, padding, matcher.
 */
function encode(loaded: Omit<LoadedRegistry, 'cached'>): Uint8Array {
  const { registry } = loaded;
  const matcher = registry.entities.length > 0 ? new RegistryMatcher(registry).save() : new Uint8Array(0);
  const index = new Map(registry.problems.map((p, i) => [p, i]));
  // Cross-file problems are taken from the merged list, so each has an index there.
  const meta: Meta = { version: registry.version, problems: registry.problems, files: loaded.files, crossFile: loaded.crossFile.map((p) => index.get(p) as number) };
  const metaText = JSON.stringify(meta);
  const metaBytes = Buffer.byteLength(metaText);
  const texts = registry.entities.map((e) => `${JSON.stringify(e)},`);
  const count = texts.length;
  const offsets = new Uint32Array(count + 1);
  for (let i = 0; i < count; i++) offsets[i + 1] = offsets[i] + Buffer.byteLength(texts[i]);
  const idsText = registry.entities.map((e) => JSON.stringify(e.id)).join('\n');
  const idBytes = Buffer.byteLength(idsText);
  const words = wordIndex(registry.entities);
  const wordBytes = Buffer.byteLength(words.text);
  const wordKeys = words.keys.length / 2;
  const metaAt = HEADER_BYTES + 4 * (count + 1) + 8 * wordKeys;
  const idsAt = metaAt + metaBytes;
  const entitiesAt = idsAt + idBytes;
  const wordsAt = entitiesAt + offsets[count];
  const matcherAt = align8(wordsAt + wordBytes);
  const total = matcherAt + matcher.byteLength;
  const bytes = new Uint8Array(new SharedArrayBuffer(total));
  const view = new DataView(bytes.buffer);
  [MAGIC, FORMAT, count, wordKeys, metaBytes, idBytes, offsets[count], wordBytes, matcher.byteLength, total].forEach((w, i) => view.setUint32(i * 4, w, true));
  offsets.forEach((o, i) => view.setUint32(HEADER_BYTES + 4 * i, o, true));
  words.keys.forEach((w, i) => view.setUint32(HEADER_BYTES + 4 * (count + 1) + 4 * i, w, true));
  const buffer = Buffer.from(bytes.buffer);
  buffer.write(metaText, metaAt, 'utf8');
  buffer.write(idsText, idsAt, 'utf8');
  buffer.write(texts.join(''), entitiesAt, 'utf8');
  buffer.write(words.text, wordsAt, 'utf8');
  bytes.set(matcher, matcherAt);
  bytes.set(finish(digestSteps(bytes)), DIGEST_AT);
  return bytes;
}
