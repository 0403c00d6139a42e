// The registry in force from its files: each file parsed (a file that does not parse falls back to
// its last good text), all merged, and its matcher built. The result is compiled into one byte layout
// with three uses: the disk cache (named by a hash of every input and the running code, so the next
// start reads it instead of YAML and builds no matcher), the copy the workers share (on a
// SharedArrayBuffer: the matcher is viewed in place, never rebuilt or copied per worker, and each entity
// is decoded the first time a worker reads more than its id), and what the extension host reads in
// slices (each entity's JSON at a known offset, so no step holds its thread long).
// Shared by the editor's workers and the CLI.
import fs from 'node:fs';
import path from 'node:path';
import { RegistryMatcher } from '../core/matcher';
import { isFatalRegistryProblem, mergeRegistries, parseRegistry } from '../core/registry';
import type { Problem, Registry, RegistryEntity } from '../core/types';
import { codeVersion, pruneOldest, sha1, writeRecord } from './diskCache';
import type { RegistryFileState, RegistrySource } from './protocol';

const FORMAT = 2;
/** 'ATRG', little-endian: the first word of every compiled registry. */
const MAGIC = 0x47525441;
/** Magic, format, entity count, meta bytes, id bytes, entity bytes, matcher bytes, total bytes. */
const HEADER_BYTES = 32;
/** Compiled registries kept in a cache folder: the one in force and a few recent ones (undo, other windows). */
const KEPT = 3;

export interface LoadedRegistry {
  registry: Registry;
  files: RegistryFileState[];
  crossFile: Problem[];
  /** True when the compiled cache answered. */
  cached: boolean;
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
      const compiled = CompiledRegistry.open(hit);
      const loaded = decodeRegistry(compiled);
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
 * in order, so a truncated or foreign file throws here rather than decoding to nonsense.
 */
export class CompiledRegistry {
  private constructor(
    private readonly bytes: Uint8Array,
    private readonly view: DataView,
    readonly count: number,
    private readonly metaAt: number,
    private readonly idsAt: number,
    private readonly entitiesAt: number,
    /** The automaton's bytes, viewed in place (empty for a registry without entities). */
    readonly matcher: Uint8Array,
  ) {}

  static open(bytes: Uint8Array): CompiledRegistry {
    const fail = (why: string): never => {
      throw new Error(`Compiled registry: ${why}`);
    };
    if (bytes.byteLength < HEADER_BYTES) fail('too short');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const word = (i: number): number => view.getUint32(i * 4, true);
    if (word(0) !== MAGIC) fail('not a compiled registry');
    if (word(1) !== FORMAT) fail(`format ${word(1)}, expected ${FORMAT}`);
    const [count, metaBytes, idBytes, entityBytes, matcherBytes, total] = [word(2), word(3), word(4), word(5), word(6), word(7)];
    const metaAt = HEADER_BYTES + 4 * (count + 1);
    const idsAt = metaAt + metaBytes;
    const entitiesAt = idsAt + idBytes;
    const matcherAt = align8(entitiesAt + entityBytes);
    if (total !== bytes.byteLength || matcherAt + matcherBytes !== total) fail('truncated or inconsistent');
    const compiled = new CompiledRegistry(bytes, view, count, metaAt, idsAt, entitiesAt, bytes.subarray(matcherAt, matcherAt + matcherBytes));
    for (let i = 0, last = 0; i <= count; i++) {
      const offset = compiled.offset(i);
      if (offset < last || offset > entityBytes) fail('entity offsets out of order');
      last = offset;
    }
    if (compiled.offset(count) !== entityBytes) fail('entity offsets do not cover the entities');
    return compiled;
  }

  meta(): Meta {
    return JSON.parse(this.text(this.metaAt, this.idsAt)) as Meta;
  }

  /** Every entity's id, in order. */
  ids(): string[] {
    return JSON.parse(this.text(this.idsAt, this.entitiesAt)) as string[];
  }

  /** Entities `from` .. `to` - 1, decoded. */
  entities(from: number, to: number): RegistryEntity[] {
    if (from >= to) return [];
    // Each entity's JSON is followed by a comma: a run of them, less the last comma, is a JSON array's body.
    return JSON.parse(`[${this.text(this.entitiesAt + this.offset(from), this.entitiesAt + this.offset(to) - 1)}]`) as RegistryEntity[];
  }

  /** Where a run of entities starting at `from` and about `bytes` long ends. */
  sliceEnd(from: number, bytes: number): number {
    let to = from + 1;
    while (to < this.count && this.offset(to) - this.offset(from) < bytes) to++;
    return Math.min(to, this.count);
  }

  private offset(i: number): number {
    return this.view.getUint32(HEADER_BYTES + 4 * i, true);
  }

  private text(start: number, end: number): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, end - start).toString('utf8');
  }
}

/** The whole registry of a compiled registry, at once (a worker, the CLI). */
export function decodeRegistry(compiled: CompiledRegistry): Omit<LoadedRegistry, 'cached'> {
  const entities = compiled.entities(0, compiled.count);
  return fromParts(compiled.meta(), entities, new Map(entities.map((e) => [e.id, e])));
}

/**
 * The same, a slice of about `sliceBytes` of JSON per turn of the event loop: the extension host
 * reads a 50,000-entity registry without holding its thread for more than a few milliseconds at a time.
 * Throws on a damaged registry (the workers then never see it).
 */
export async function decodeRegistryInSlices(compiled: CompiledRegistry, sliceBytes = 256 * 1024): Promise<Omit<LoadedRegistry, 'cached'>> {
  const meta = compiled.meta();
  // The workers go by the ids: a file whose ids and entities disagree is damaged.
  const ids = compiled.ids();
  const entities: RegistryEntity[] = [];
  const byId = new Map<string, RegistryEntity>();
  for (let from = 0; from < compiled.count; ) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const to = compiled.sliceEnd(from, sliceBytes);
    for (const e of compiled.entities(from, to)) {
      if (e.id !== ids[entities.length]) throw new Error('Compiled registry: ids and entities disagree');
      entities.push(e);
      byId.set(e.id, e);
    }
    from = to;
  }
  return fromParts(meta, entities, byId);
}

/**
 * What a worker holds: the registry, its entities decoded one by one when first read (a scan reads
 * few), and the matcher viewing the shared bytes (built here only if they do not load).
 */
export function sharedRegistry(compiled: CompiledRegistry): { registry: Registry; matcher: RegistryMatcher | null } {
  const meta = compiled.meta();
  const entities: RegistryEntity[] = compiled.ids().map((id, i) => new StoredEntity(id, compiled, i));
  const registry: Registry = { entities, byId: new Map(entities.map((e) => [e.id, e])), problems: meta.problems, version: meta.version };
  if (entities.length === 0) return { registry, matcher: null };
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
}

function fromParts(meta: Meta, entities: RegistryEntity[], byId: Map<string, RegistryEntity>): Omit<LoadedRegistry, 'cached'> {
  return {
    registry: { entities, byId, problems: meta.problems, version: meta.version },
    files: meta.files,
    crossFile: meta.crossFile.map((i) => meta.problems[i]),
  };
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

/** Lays out header, entity offsets, meta JSON, id JSON, entity JSON (each followed by a comma), padding, matcher. */
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
  const idsText = JSON.stringify(registry.entities.map((e) => e.id));
  const idBytes = Buffer.byteLength(idsText);
  const metaAt = HEADER_BYTES + 4 * (count + 1);
  const idsAt = metaAt + metaBytes;
  const entitiesAt = idsAt + idBytes;
  const matcherAt = align8(entitiesAt + offsets[count]);
  const total = matcherAt + matcher.byteLength;
  const bytes = new Uint8Array(new SharedArrayBuffer(total));
  const view = new DataView(bytes.buffer);
  [MAGIC, FORMAT, count, metaBytes, idBytes, offsets[count], matcher.byteLength, total].forEach((w, i) => view.setUint32(i * 4, w, true));
  offsets.forEach((o, i) => view.setUint32(HEADER_BYTES + 4 * i, o, true));
  const buffer = Buffer.from(bytes.buffer);
  buffer.write(metaText, metaAt, 'utf8');
  buffer.write(idsText, idsAt, 'utf8');
  buffer.write(texts.join(''), entitiesAt, 'utf8');
  bytes.set(matcher, matcherAt);
  return bytes;
}
