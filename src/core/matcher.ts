// Registry mentions: every name and alias of every entity, found in one Aho-Corasick pass over the prose.
//
// The automaton is written out with typed arrays because general-purpose packages step through the text
// too slowly for a 50,000-entity registry (modern-ahocorasick: 2–14 MB/s). It runs over UTF-16 units
// folded by `unitFolds` (case, apostrophes, spaces), so a unit maps to a compact alphabet id in one table
// read and offsets never move. A hit is only a candidate: `judgeHit` checks the real characters, case and
// word boundaries, and `chooseMentions` keeps the leftmost-longest.
//
// Every table lives in one byte buffer (`save`), so a compiled matcher can be cached in a file or shared
// by worker threads on a SharedArrayBuffer and `load`ed as views in milliseconds. The buffer names each
// surface by entity index and name index only: the surfaces themselves are rebuilt from the registry
// when first hit, so a loaded matcher costs its thread almost no heap.
import { chooseMentions, judgeHit, spacedWordUnit, surfaceAt, surfacesOfEntity, unitFolds, type Candidate, type Surface } from './nameRules';
import type { Mention, ProseDocument, Registry } from './types';

/**
 * Shallow states (the first in depth order) get a full transition row, failures included, as long as the
 * rows fit in this many entries (4 MB): the text spends most of its steps there. Deeper states keep only
 * their own children, sorted, and fall back along failure links.
 */
const DENSE_BUDGET = 1 << 20;

/**
 * Alphabet id of every UTF-16 unit through its folded form (0: in no key), the alphabet size + 1, and
 * per id whether every unit with it is a letter or digit of a spaced script (`spacedWordUnit`).
 */
function alphabetOf(keys: readonly string[]): { symbols: Uint16Array; width: number; spaced: Uint8Array } {
  const symbols = new Uint16Array(0x10000);
  for (const key of keys) for (let i = 0; i < key.length; i++) symbols[key.charCodeAt(i)] = 1;
  // Folding maps A–Z onto a–z, so fewer than 65,535 distinct units occur in keys: ids fit 16 bits.
  let alphabet = 0;
  for (let u = 0; u < 0x10000; u++) if (symbols[u]) symbols[u] = ++alphabet;
  // Folding is idempotent, so the keys' own units keep their ids.
  const folds = unitFolds();
  for (let c = 0; c < 0x10000; c++) symbols[c] = symbols[folds[c]];
  const spaced = new Uint8Array(alphabet + 1).fill(1, 1);
  for (let c = 0; c < 0x10000; c++) if (symbols[c] !== 0 && !spacedWordUnit(c)) spaced[symbols[c]] = 0;
  return { symbols, width: alphabet + 1, spaced };
}

interface Trie {
  states: number;
  /** The children of each state are numbered consecutively, sorted by label, in the order of their parents. */
  childCount: Int32Array;
  label: Int32Array;
  parent: Int32Array;
  /** The key that ends at a state, or -1. */
  output: Int32Array;
}

/**
 * Builds the trie one depth at a time, so states come out numbered by depth and the children of each
 * state contiguous and sorted by label. At each depth the keys still going on are ordered by (state
 * reached, next symbol) with radix passes: no string comparisons, linear in the total key length.
 */
function buildTrie(keys: readonly string[], symbols: Uint16Array, width: number): Trie {
  let units = 0;
  for (const key of keys) units += key.length;
  // The keys as symbols, end to end in one buffer: the depth passes read it, not the scattered strings.
  const code = new Uint16Array(units);
  const offset = new Int32Array(keys.length);
  const length = new Int32Array(keys.length);
  for (let k = 0, o = 0; k < keys.length; k++) {
    const key = keys[k];
    offset[k] = o;
    length[k] = key.length;
    for (let i = 0; i < key.length; i++) code[o++] = symbols[key.charCodeAt(i)];
  }

  const childCount = new Int32Array(units + 1);
  const label = new Int32Array(units + 1);
  const parent = new Int32Array(units + 1);
  const output = new Int32Array(units + 1).fill(-1);
  // The keys longer than `depth`, each with the state it has reached and its next symbol, ordered by
  // state. The three arrays move together (reading `code` once per key and depth: it is out of order).
  let key = Int32Array.from(keys, (_, k) => k);
  let state = new Int32Array(keys.length);
  let symbol = new Uint16Array(keys.length);
  let key2 = new Int32Array(keys.length);
  let state2 = new Int32Array(keys.length);
  let symbol2 = new Uint16Array(keys.length);
  const bySymbol = new Int32Array(width + 1);
  const byState = new Int32Array(units + 2);
  let states = 1;
  let levelStart = 0;
  for (let depth = 0, count = keys.length; count > 0; depth++) {
    for (let r = 0; r < count; r++) symbol[r] = code[offset[key[r]] + depth];
    // Stable sort by symbol into the spare arrays, then counting sort by state back: ordered by (state, symbol).
    if (count * 4 >= width) {
      bySymbol.fill(0);
      for (let r = 0; r < count; r++) bySymbol[symbol[r] + 1]++;
      for (let a = 1; a <= width; a++) bySymbol[a] += bySymbol[a - 1];
      for (let r = 0; r < count; r++) {
        const w = bySymbol[symbol[r]]++;
        key2[w] = key[r];
        state2[w] = state[r];
        symbol2[w] = symbol[r];
      }
    } else {
      // Few keys over a wide alphabet (long names in a large script): counting would cost the alphabet per depth.
      const packed = Float64Array.from(symbol.subarray(0, count), (a, r) => a * 2 ** 32 + r).sort();
      for (let w = 0; w < count; w++) {
        const r = packed[w] % 2 ** 32;
        key2[w] = key[r];
        state2[w] = state[r];
        symbol2[w] = symbol[r];
      }
    }
    const levelSize = states - levelStart;
    byState.fill(0, 0, levelSize + 1);
    for (let r = 0; r < count; r++) byState[state2[r] - levelStart + 1]++;
    for (let i = 1; i <= levelSize; i++) byState[i] += byState[i - 1];
    for (let r = 0; r < count; r++) {
      const w = byState[state2[r] - levelStart]++;
      key[w] = key2[r];
      state[w] = state2[r];
      symbol[w] = symbol2[r];
    }

    levelStart = states;
    let kept = 0;
    for (let r = 0; r < count; r++) {
      const from = state[r];
      const a = symbol[r];
      if (r === 0 || from !== state[r - 1] || a !== symbol[r - 1]) {
        label[states] = a;
        parent[states] = from;
        childCount[from]++;
        states++;
      }
      const k = key[r];
      if (length[k] === depth + 1) {
        output[states - 1] = k;
      } else {
        key2[kept] = k;
        state2[kept++] = states - 1;
      }
    }
    [key, key2, state, state2, symbol, symbol2] = [key2, key, state2, state, symbol2, symbol];
    count = kept;
  }
  return { states, childCount, label, parent, output };
}

// ---------- the byte buffer ----------

/** "ATRM", read as a little-endian int32: a big-endian machine or a foreign file reads something else. */
const MAGIC = 0x4d525441;
/** Bump whenever the layout below or the folding and surface rules in nameRules.ts change. */
const FORMAT = 1;
const ERROR = 'Registry matcher bytes:';

/** The header's int32 words. */
const enum Header {
  Magic,
  Format,
  ByteLength,
  Checksum,
  /** Then the counts, in COUNT_NAMES order. */
  Counts,
}

interface Counts {
  entities: number;
  states: number;
  /** Alphabet size + 1: the row width of the dense table. */
  width: number;
  /** States below this number have dense rows: their transition on every symbol, failures included. */
  denseStates: number;
  keys: number;
  surfaces: number;
  versionLength: number;
}
const COUNT_NAMES = ['entities', 'states', 'width', 'denseStates', 'keys', 'surfaces', 'versionLength'] as const;
const HEADER_WORDS = Header.Counts + COUNT_NAMES.length;
const HEADER_BYTES = HEADER_WORDS * 4;

/**
 * Aho-Corasick over folded UTF-16 units, as views onto the buffer. States are numbered by depth, so a
 * failure link always points back, and the children of state s are the states childStart[s] ..
 * childStart[s + 1] - 1, sorted by label. Keys are the distinct folded surfaces; surfaces are numbered
 * so that those of key k are surfaceStart[k] .. surfaceStart[k + 1] - 1.
 *
 * The automaton only follows names from where a name may start (`startsWord`): not after a letter of a
 * spaced script when the name starts with one. So failure links skip such suffixes, and the empty match
 * has two states: ROOT (a name may start next) and MID (inside a word: only names that start with
 * something else may). In running text most steps then stay in MID's row instead of wandering through
 * prefixes of names that would be rejected anyway, and the hits are fewer.
 */
interface Tables extends Counts {
  /** `registry.version` as UTF-16 units: a buffer only fits the registry it was built from. */
  version: Uint16Array;
  /** Alphabet id of every UTF-16 unit; 0 for units that occur in no key. */
  symbols: Uint16Array;
  /** Dense rows: the next state, or ~state when keys end there. */
  dense: Int32Array;
  childStart: Int32Array;
  label: Uint16Array;
  fail: Int32Array;
  /** The key ending at the state, else at its nearest failure ancestor with one; -1 if none. */
  hitKey: Int32Array;
  /** The next key of the same output chain (the key ending at the failure ancestor), or -1. */
  nextKey: Int32Array;
  keyLength: Int32Array;
  surfaceStart: Int32Array;
  /** Per surface: its entity's index in `registry.entities`, and which of the entity's names it is. */
  surfaceEntity: Int32Array;
  surfaceName: Int32Array;
}

const MID = 0;
const ROOT = 1;

/** Hands out consecutive views, each aligned to 4 bytes; with no buffer it only measures. */
class Cursor {
  constructor(
    private readonly buffer: ArrayBufferLike | null,
    public offset: number,
  ) {}

  i32(length: number): Int32Array {
    const view = this.buffer ? new Int32Array(this.buffer, this.offset, length) : new Int32Array(0);
    this.offset += length * 4;
    return view;
  }

  u16(length: number): Uint16Array {
    const view = this.buffer ? new Uint16Array(this.buffer, this.offset, length) : new Uint16Array(0);
    this.offset += (length * 2 + 3) & ~3;
    return view;
  }
}

/** The one place the layout is written down: the order and size of the tables after the header. */
function tablesAt(c: Counts, at: Cursor): Tables {
  return {
    ...c,
    version: at.u16(c.versionLength),
    symbols: at.u16(0x10000),
    dense: at.i32(c.denseStates * c.width),
    childStart: at.i32(c.states + 1),
    label: at.u16(c.states),
    fail: at.i32(c.states),
    hitKey: at.i32(c.states),
    nextKey: at.i32(c.keys),
    keyLength: at.i32(c.keys),
    surfaceStart: at.i32(c.keys + 1),
    surfaceEntity: at.i32(c.surfaces),
    surfaceName: at.i32(c.surfaces),
  };
}

function byteLengthOf(c: Counts): number {
  const at = new Cursor(null, HEADER_BYTES);
  tablesAt(c, at);
  return at.offset;
}

/** FNV-1a over 32-bit words, four lanes so the multiplications overlap: a damaged buffer must not load. */
function checksum(words: Int32Array): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  let c = 0x5bd1e995;
  let d = 0x27d4eb2f;
  let i = 0;
  for (const end = words.length - 3; i < end; i += 4) {
    a = Math.imul(a ^ words[i], 0x01000193);
    b = Math.imul(b ^ words[i + 1], 0x01000193);
    c = Math.imul(c ^ words[i + 2], 0x01000193);
    d = Math.imul(d ^ words[i + 3], 0x01000193);
  }
  for (; i < words.length; i++) a = Math.imul(a ^ words[i], 0x01000193);
  return Math.imul(a ^ Math.imul(b ^ Math.imul(c ^ d, 0x01000193), 0x01000193), 0x01000193);
}

/** The words the checksum covers: the counts and the tables, everything after the checksum itself. */
function checked(bytes: Uint8Array): Int32Array {
  return new Int32Array(bytes.buffer, bytes.byteOffset + Header.Counts * 4, bytes.byteLength / 4 - Header.Counts);
}

/** Views onto `bytes` after checking that they are a whole, undamaged matcher for `registry`; throws if not. */
function openTables(bytes: Uint8Array, registry: Registry): Tables {
  if (bytes.byteOffset % 4 !== 0) bytes = bytes.slice(); // typed views need aligned offsets: one copy
  if (bytes.byteLength < HEADER_BYTES) throw new Error(`${ERROR} ${bytes.byteLength} bytes, too short for a header`);
  const header = new Int32Array(bytes.buffer, bytes.byteOffset, HEADER_WORDS);
  if (header[Header.Magic] !== MAGIC) throw new Error(`${ERROR} not a compiled registry matcher`);
  if (header[Header.Format] !== FORMAT) throw new Error(`${ERROR} format ${header[Header.Format]}, expected ${FORMAT}`);
  if (header[Header.ByteLength] !== bytes.byteLength) throw new Error(`${ERROR} ${bytes.byteLength} bytes, expected ${header[Header.ByteLength]}`);
  const c = Object.fromEntries(COUNT_NAMES.map((name, i) => [name, header[Header.Counts + i]])) as unknown as Counts;
  const sane = Object.values(c).every((n) => n >= 0) && c.width >= 1 && c.width <= 0x10001 && c.denseStates > ROOT && c.denseStates <= c.states;
  if (!sane || byteLengthOf(c) !== bytes.byteLength) throw new Error(`${ERROR} inconsistent header`);
  if (checksum(checked(bytes)) !== header[Header.Checksum]) throw new Error(`${ERROR} damaged (checksum mismatch)`);
  const tables = tablesAt(c, new Cursor(bytes.buffer, bytes.byteOffset + HEADER_BYTES));
  const version = String.fromCharCode(...tables.version);
  if (version !== registry.version || c.entities !== registry.entities.length) {
    throw new Error(`${ERROR} built for registry ${version} (${c.entities} entities), not ${registry.version} (${registry.entities.length})`);
  }
  return tables;
}

// ---------- building ----------

/** Compiles the automaton for `registry` into a fresh buffer (header, checksum and all). */
function compile(registry: Registry): Uint8Array {
  const surfaces: Surface[] = [];
  const entityIndex: number[] = [];
  registry.entities.forEach((entity, e) => {
    for (const surface of surfacesOfEntity(entity)) entityIndex[surfaces.push(surface) - 1] = e;
  });
  // Several surfaces can share a folded key (case variants, or one alias of several entities).
  const byKey = new Map<string, number[]>();
  for (let i = 0; i < surfaces.length; i++) {
    const group = byKey.get(surfaces[i].key);
    if (group) group.push(i);
    else byKey.set(surfaces[i].key, [i]);
  }
  const keys = [...byKey.keys()];
  const { symbols, width, spaced } = alphabetOf(keys);
  const trie = buildTrie(keys, symbols, width);
  // State s of the tables is state s - 1 of the trie: MID goes first, so it gets a dense row.
  const states = trie.states + 1;
  const counts: Counts = {
    entities: registry.entities.length,
    states,
    width,
    denseStates: Math.max(ROOT + 1, Math.min(states, Math.floor(DENSE_BUDGET / width))),
    keys: keys.length,
    surfaces: surfaces.length,
    versionLength: registry.version.length,
  };
  const byteLength = byteLengthOf(counts);
  const bytes = new Uint8Array(byteLength);
  const t = tablesAt(counts, new Cursor(bytes.buffer, HEADER_BYTES));

  for (let i = 0; i < registry.version.length; i++) t.version[i] = registry.version.charCodeAt(i);
  t.symbols.set(symbols);
  let next = 0;
  keys.forEach((key, k) => {
    t.keyLength[k] = key.length;
    t.surfaceStart[k] = next;
    for (const i of byKey.get(key)!) {
      t.surfaceEntity[next] = entityIndex[i];
      t.surfaceName[next++] = surfaces[i].nameIndex;
    }
  });
  t.surfaceStart[keys.length] = next;
  // Children are numbered in their parents' order, so their ranges follow one another.
  t.childStart[MID] = t.childStart[ROOT] = ROOT + 1;
  for (let s = ROOT; s < states; s++) t.childStart[s + 1] = t.childStart[s] + trie.childCount[s - 1];
  t.label.set(trie.label.subarray(0, trie.states), 1);
  linkFailures(t, trie, spaced);

  const header = new Int32Array(bytes.buffer, 0, HEADER_WORDS);
  header[Header.Magic] = MAGIC;
  header[Header.Format] = FORMAT;
  header[Header.ByteLength] = byteLength;
  COUNT_NAMES.forEach((name, i) => (header[Header.Counts + i] = counts[name]));
  header[Header.Checksum] = checksum(checked(bytes));
  return bytes;
}

/**
 * Failure links, output chains and the dense rows, in state order (a failure target is always done).
 * `spaced[a]`: symbol a is a letter of a spaced script, so no name starting with one starts after it.
 */
function linkFailures(t: Tables, trie: Trie, spaced: Uint8Array): void {
  const { width, dense, denseStates, fail, hitKey, nextKey, label } = t;
  hitKey[MID] = hitKey[ROOT] = -1;
  for (let a = 1; a < width; a++) dense[ROOT * width + a] = spaced[a] ? MID : ROOT;
  addChildren(t, ROOT);
  for (let a = 1; a < width; a++) dense[MID * width + a] = spaced[a] ? MID : dense[ROOT * width + a];
  for (let s = ROOT + 1; s < t.states; s++) {
    const from = trie.parent[s - 1] + 1;
    const a = label[s];
    // The longest proper suffix that is a name's prefix and may start where it starts.
    const next = from === ROOT ? (spaced[a] ? MID : ROOT) : advance(t, fail[from], a);
    const f = next < 0 ? ~next : next;
    fail[s] = f;
    const k = trie.output[s - 1];
    if (k >= 0) nextKey[k] = hitKey[f];
    hitKey[s] = k >= 0 ? k : hitKey[f];
    if (s < denseStates) {
      // A dense row is its failure target's row with its own children on top.
      dense.copyWithin(s * width, f * width, f * width + width);
      addChildren(t, s);
    }
  }
  // From now on a dense entry ~t says "go to t, where keys end", so the search reads `hitKey` only then.
  for (let i = 0; i < dense.length; i++) if (hitKey[dense[i]] >= 0) dense[i] = ~dense[i];
}

function addChildren(t: Tables, s: number): void {
  const row = s * t.width;
  for (let c = t.childStart[s], end = t.childStart[s + 1]; c < end; c++) t.dense[row + t.label[c]] = c;
}

/**
 * The transition from `s` on symbol `a`, following failure links down to a dense row: the next state,
 * or ~state when keys end there (while the table is being built, either form may come back).
 */
function advance(t: Tables, s: number, a: number): number {
  const { denseStates, childStart, label, fail, hitKey } = t;
  while (s >= denseStates) {
    let lo = childStart[s];
    const end = childStart[s + 1];
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (label[mid] < a) lo = mid + 1;
      else hi = mid;
    }
    if (lo < end && label[lo] === a) return hitKey[lo] >= 0 ? ~lo : lo;
    s = fail[s];
  }
  return t.dense[s * t.width + a];
}

/** Every key occurrence in `text`, as flat pairs: key index, end offset (exclusive), in end order. */
function search(t: Tables, text: string): number[] {
  const { symbols, hitKey, nextKey, dense, width, denseStates } = t;
  const found: number[] = [];
  let s = ROOT;
  for (let i = 0; i < text.length; i++) {
    const a = symbols[text.charCodeAt(i)];
    if (a === 0) {
      // A unit in no name; whether a name may start after it is left to `judgeHit`.
      s = ROOT;
      continue;
    }
    // Most steps stay in the dense rows: one table read, no call.
    const next = s < denseStates ? dense[s * width + a] : advance(t, s, a);
    if (next >= 0) {
      s = next;
      continue;
    }
    s = ~next;
    for (let k = hitKey[s]; k >= 0; k = nextKey[k]) found.push(k, i + 1);
  }
  return found;
}

// ---------- the matcher ----------

export class RegistryMatcher {
  /** The buffer format number: part of any cache key for `save`d bytes. */
  static readonly FORMAT = FORMAT;
  readonly version: string;
  private readonly registry: Registry;
  private readonly bytes: Uint8Array;
  private readonly tables: Tables;
  /** Surfaces rebuilt from the registry the first time they are hit, by surface number. */
  private readonly surfaces = new Map<number, Surface>();

  /**
   * Compiles the matcher for `registry`, or opens `compiled` (bytes from `save`, checked, viewed without
   * copying: they must not change afterwards). Throws if `compiled` is not a matcher for this registry.
   */
  constructor(registry: Registry, compiled?: Uint8Array) {
    this.registry = registry;
    this.version = registry.version;
    this.bytes = compiled ?? compile(registry);
    this.tables = openTables(this.bytes, registry);
  }

  /** `new RegistryMatcher(registry, bytes)`: views onto `bytes` (which may be on a SharedArrayBuffer). */
  static load(registry: Registry, bytes: Uint8Array): RegistryMatcher {
    return new RegistryMatcher(registry, bytes);
  }

  /** A copy of the compiled matcher, on a SharedArrayBuffer if `shared`, for `load`. */
  save({ shared = false }: { shared?: boolean } = {}): Uint8Array {
    const copy = new Uint8Array(shared ? new SharedArrayBuffer(this.bytes.byteLength) : new ArrayBuffer(this.bytes.byteLength));
    copy.set(this.bytes);
    return copy;
  }

  /** Registry mentions in the prose of `doc`, leftmost-longest, never overlapping. Offsets are into `doc.text`. */
  find(doc: ProseDocument): Mention[] {
    const prose = doc.prose;
    const { keyLength, surfaceStart } = this.tables;
    const found = search(this.tables, prose);
    const candidates: Candidate[] = [];
    for (let i = 0; i < found.length; i += 2) {
      const k = found[i];
      const end = found[i + 1];
      const start = end - keyLength[k];
      for (let j = surfaceStart[k]; j < surfaceStart[k + 1]; j++) {
        const surface = this.surface(j);
        const exact = judgeHit(prose, start, surface);
        if (exact !== null) candidates.push({ start, end, entity: surface.entity, exact });
      }
    }
    return chooseMentions(doc.text, candidates);
  }

  private surface(j: number): Surface {
    let surface = this.surfaces.get(j);
    if (!surface) {
      const entity = this.registry.entities[this.tables.surfaceEntity[j]];
      const found = entity && surfaceAt(entity, this.tables.surfaceName[j]);
      if (!found) throw new Error(`${ERROR} surface ${j} is not in the registry`);
      this.surfaces.set(j, (surface = found));
    }
    return surface;
  }
}
