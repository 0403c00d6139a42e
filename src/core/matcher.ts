// Registry mentions: every name and alias of every entity, found in one Aho-Corasick pass over the prose.
//
// The automaton is written out with typed arrays because general-purpose packages step through the text
// too slowly for a 50,000-entity registry (modern-ahocorasick: 2–14 MB/s). It runs over UTF-16 units
// folded by `unitFolds` (case, apostrophes, spaces), so a unit maps to a compact alphabet id in one table
// read and offsets never move. A hit is only a candidate: `judgeHit` checks the real characters, case and
// word boundaries, and `chooseMentions` keeps the leftmost-longest.
import { chooseMentions, judgeHit, surfacesOf, unitFolds, type Candidate, type Surface } from './nameRules';
import type { Mention, ProseDocument, Registry } from './types';

/**
 * Shallow states (the first in depth order) get a full transition row, failures included, as long as the
 * rows fit in this many entries (4 MB): the text spends most of its steps there. Deeper states keep only
 * their own children, sorted, and fall back along failure links.
 */
const DENSE_BUDGET = 1 << 20;

/** Alphabet id of every UTF-16 unit through its folded form (0: in no key), and the alphabet size + 1. */
function alphabetOf(keys: readonly string[]): { symbols: Uint16Array; width: number } {
  const symbols = new Uint16Array(0x10000);
  for (const key of keys) for (let i = 0; i < key.length; i++) symbols[key.charCodeAt(i)] = 1;
  // Folding maps A–Z onto a–z, so fewer than 65,535 distinct units occur in keys: ids fit 16 bits.
  let alphabet = 0;
  for (let u = 0; u < 0x10000; u++) if (symbols[u]) symbols[u] = ++alphabet;
  // Folding is idempotent, so the keys' own units keep their ids.
  const folds = unitFolds();
  for (let c = 0; c < 0x10000; c++) symbols[c] = symbols[folds[c]];
  return { symbols, width: alphabet + 1 };
}

interface Trie {
  states: number;
  /** The children of state s are the states firstChild[s] .. firstChild[s] + childCount[s] - 1, sorted by label. */
  firstChild: Int32Array;
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

  const firstChild = new Int32Array(units + 1);
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
        if (childCount[from]++ === 0) firstChild[from] = states;
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
  return { states, firstChild, childCount, label, parent, output };
}

/** Aho-Corasick over folded UTF-16 units. States are numbered by depth, so a failure link always points back. */
class Automaton {
  /** Alphabet id of every UTF-16 unit; 0 for units that occur in no key. */
  private readonly symbols: Uint16Array;
  /** Row width of the dense table: alphabet size + 1. */
  private readonly width: number;
  /** States below this number have dense rows: their transition on every symbol, failures included. */
  private readonly denseStates: number;
  private readonly dense: Int32Array;
  private readonly firstChild: Int32Array;
  private readonly childCount: Int32Array;
  private readonly label: Int32Array;
  private readonly output: Int32Array;
  private readonly fail: Int32Array;
  /** The state itself or its nearest failure ancestor with an output, or -1: the keys ending here. */
  private readonly hit: Int32Array;

  /** `keys`: distinct and folded. */
  constructor(keys: readonly string[]) {
    ({ symbols: this.symbols, width: this.width } = alphabetOf(keys));
    const trie = buildTrie(keys, this.symbols, this.width);
    ({ firstChild: this.firstChild, childCount: this.childCount, label: this.label, output: this.output } = trie);
    this.denseStates = Math.max(1, Math.min(trie.states, Math.floor(DENSE_BUDGET / this.width)));
    this.dense = new Int32Array(this.denseStates * this.width);
    this.fail = new Int32Array(trie.states);
    this.hit = new Int32Array(trie.states).fill(-1);
    this.linkFailures(trie.states, trie.parent);
  }

  /** Failure links, output chains and the dense rows, in state order (a failure target is always done). */
  private linkFailures(states: number, parent: Int32Array): void {
    const { width, dense, denseStates, fail, hit, output, label } = this;
    this.addChildren(0);
    for (let s = 1; s < states; s++) {
      const t = parent[s] === 0 ? 0 : this.advance(fail[parent[s]], label[s]);
      const f = t < 0 ? ~t : t;
      fail[s] = f;
      hit[s] = output[s] >= 0 ? s : hit[f];
      if (s < denseStates) {
        // A dense row is its failure target's row with its own children on top.
        dense.copyWithin(s * width, f * width, f * width + width);
        this.addChildren(s);
      }
    }
    // From now on a dense entry ~t says "go to t, where keys end", so the search reads `hit` only then.
    for (let i = 0; i < dense.length; i++) if (hit[dense[i]] >= 0) dense[i] = ~dense[i];
  }

  private addChildren(s: number): void {
    const row = s * this.width;
    for (let c = this.firstChild[s], end = c + this.childCount[s]; c < end; c++) this.dense[row + this.label[c]] = c;
  }

  /**
   * The transition from `s` on symbol `a`, following failure links down to a dense row: the next state,
   * or ~state when keys end there (while the table is being built, either form may come back).
   */
  private advance(s: number, a: number): number {
    const { denseStates, firstChild, childCount, label, fail, hit } = this;
    while (s >= denseStates) {
      let lo = firstChild[s];
      const end = lo + childCount[s];
      let hi = end;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (label[mid] < a) lo = mid + 1;
        else hi = mid;
      }
      if (lo < end && label[lo] === a) return hit[lo] >= 0 ? ~lo : lo;
      s = fail[s];
    }
    return this.dense[s * this.width + a];
  }

  /** Every key occurrence in `text`, as flat pairs: key index, end offset (exclusive), in end order. */
  search(text: string): number[] {
    const { symbols, hit, output, fail, dense, width, denseStates } = this;
    const found: number[] = [];
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const a = symbols[text.charCodeAt(i)];
      if (a === 0) {
        s = 0;
        continue;
      }
      // Most steps stay in the dense rows: one table read, no call.
      const t = s < denseStates ? dense[s * width + a] : this.advance(s, a);
      if (t >= 0) {
        s = t;
        continue;
      }
      s = ~t;
      for (let h = hit[s]; h >= 0; h = hit[fail[h]]) found.push(output[h], i + 1);
    }
    return found;
  }
}

export class RegistryMatcher {
  readonly version: string;
  private readonly automaton: Automaton;
  /** Surfaces by key index: several can share a folded key (case variants, or one alias of several entities). */
  private readonly groups: Surface[][];

  constructor(registry: Registry) {
    this.version = registry.version;
    const byKey = new Map<string, Surface[]>();
    for (const surface of surfacesOf(registry)) {
      const group = byKey.get(surface.key);
      if (group) group.push(surface);
      else byKey.set(surface.key, [surface]);
    }
    const keys = [...byKey.keys()];
    this.groups = keys.map((key) => byKey.get(key)!);
    this.automaton = new Automaton(keys);
  }

  /** Registry mentions in the prose of `doc`, leftmost-longest, never overlapping. Offsets are into `doc.text`. */
  find(doc: ProseDocument): Mention[] {
    const prose = doc.prose;
    const found = this.automaton.search(prose);
    const candidates: Candidate[] = [];
    for (let i = 0; i < found.length; i += 2) {
      const group = this.groups[found[i]];
      const end = found[i + 1];
      const start = end - group[0].key.length;
      for (const surface of group) {
        const exact = judgeHit(prose, start, surface);
        if (exact !== null) candidates.push({ start, end, entity: surface.entity, exact });
      }
    }
    return chooseMentions(doc.text, candidates);
  }
}
