// Registry mentions: every name and alias of every entity, found in one Aho-Corasick pass over the prose.
//
// modern-ahocorasick walks its input grapheme by grapheme with Intl.Segmenter, except on pure ASCII
// input, where it steps through characters directly. Intl.Segmenter is quadratic in Node 20 (measured:
// 40 KB of prose 1 s, 80 KB 49 s), so the automaton runs on an ASCII projection of the prose of the same
// length: ASCII letters lower-cased, whitespace and apostrophe variants folded, every other UTF-16 unit
// lower-cased and hashed into one of a few ASCII control characters. A hit in the projection is a
// candidate; it becomes a mention after its real characters, case and word boundaries are checked.
import AhoCorasick from 'modern-ahocorasick';
import type { EntityType, Mention, ProseDocument, Registry, RegistryEntity } from './types';

interface Surface {
  /** The name or alias with apostrophes and spaces folded, same length as the text it matches. */
  pattern: string;
  entity: RegistryEntity;
  /** All capitals ("NCCIA"): only an exact-case hit counts. */
  acronym: boolean;
  /** Two words or more: a title-cased hit counts ("Ministry Of Public Security"). */
  multiWord: boolean;
}

/** The projection's stand-ins for non-ASCII units; none is whitespace, a letter or an apostrophe. */
const BUCKETS = [
  1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127,
];
const APOSTROPHE = 0x27;
const SPACE = 0x20;

/** Per UTF-16 unit: its lower-case form when that is a single unit (so offsets never move), else itself. */
const lowerTable = new Uint16Array(0x10000);
const lowerKnown = new Uint8Array(0x10000);

function lowerUnit(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c + 32 : c;
  if (!lowerKnown[c]) {
    const lower = String.fromCharCode(c).toLowerCase();
    lowerTable[c] = lower.length === 1 ? lower.charCodeAt(0) : c;
    lowerKnown[c] = 1;
  }
  return lowerTable[c];
}

/** Curly and modifier apostrophes read as "'", every kind of space as " "; case is kept. */
function normalUnit(c: number): number {
  if (c === 0x2019 || c === 0x2018 || c === 0x02bc) return APOSTROPHE;
  if (c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0x202f || c === 0x3000 || (c >= 0x2000 && c <= 0x200a)) return SPACE;
  return c;
}

function foldUnit(c: number): number {
  return lowerUnit(normalUnit(c));
}

// Every byte is < 128, so latin1 decoding is the identity: the fastest way from bytes to a string.
const ASCII_DECODER = new TextDecoder('latin1');

/** The ASCII projection (see the file comment). Same length as `text`. */
function project(text: string): string {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = foldUnit(text.charCodeAt(i));
    out[i] = c < 128 ? c : BUCKETS[c % BUCKETS.length];
  }
  return ASCII_DECODER.decode(out);
}

function normalize(text: string): string {
  let s = '';
  for (let i = 0; i < text.length; i++) s += String.fromCharCode(normalUnit(text.charCodeAt(i)));
  return s;
}

// ---------- word boundaries ----------

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
/** Scripts written without spaces between words (Korean: particles attach to names), so no boundary is needed next to them. */
const UNSPACED_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/u;
const HYPHENS = new Set([0x2d, 0x2010, 0x2011]);

function isWord(cp: number | undefined): boolean {
  if (cp === undefined) return false;
  if (cp < 128) return (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122);
  return WORD_CHAR.test(String.fromCodePoint(cp));
}

/** A letter or digit of a script that separates words with spaces: where one meets another, a word goes on. */
function isSpacedWord(cp: number | undefined): boolean {
  return isWord(cp) && (cp! < 128 || !UNSPACED_SCRIPT.test(String.fromCodePoint(cp!)));
}

function codePointBefore(text: string, i: number): number | undefined {
  if (i <= 0) return undefined;
  const c = text.charCodeAt(i - 1);
  if (c >= 0xdc00 && c <= 0xdfff && i >= 2) {
    const h = text.charCodeAt(i - 2);
    if (h >= 0xd800 && h <= 0xdbff) return text.codePointAt(i - 2);
  }
  return c;
}

function codePointAt(text: string, i: number): number | undefined {
  return i < text.length ? text.codePointAt(i) : undefined;
}

function unitSize(cp: number | undefined): number {
  return cp !== undefined && cp > 0xffff ? 2 : 1;
}

/** Does the text let a name start at `start`? `first` is the name's first code point. */
function startsWord(text: string, start: number, first: number | undefined): boolean {
  if (!isSpacedWord(first)) return true;
  const before = codePointBefore(text, start);
  if (before === undefined) return true;
  const joiner = normalUnit(before);
  if (HYPHENS.has(joiner) || joiner === APOSTROPHE) {
    // "Islamabad-Beijing", "O'Neill": joined words. A lower-case one-letter elision ("l'Union") is not.
    const prev = codePointBefore(text, start - 1);
    if (!isWord(prev)) return true;
    if (joiner === APOSTROPHE) {
      const prevStart = start - 1 - unitSize(prev);
      const single = !isWord(codePointBefore(text, prevStart));
      return single && String.fromCodePoint(prev!) !== String.fromCodePoint(prev!).toUpperCase();
    }
    return false;
  }
  return !isSpacedWord(before);
}

/** Does the text let a name end at `end`? Possessives ("China's", "Jones'") end the name. */
function endsWord(text: string, end: number, last: number | undefined): boolean {
  if (!isSpacedWord(last)) return true;
  const after = codePointAt(text, end);
  if (after === undefined) return true;
  const joiner = normalUnit(after);
  if (joiner === APOSTROPHE) {
    const next = codePointAt(text, end + 1);
    if (!isWord(next)) return true;
    return (next === 0x73 || next === 0x53) && !isWord(codePointAt(text, end + 2));
  }
  if (HYPHENS.has(joiner)) return !isWord(codePointAt(text, end + 1));
  return !isSpacedWord(after);
}

// ---------- case ----------

const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const TITLE_START = /^[^\p{L}]*[\p{Lu}\p{Lt}]/u;

/** Is a hit that differs from its pattern only in case safe to accept? */
function caseAccepted(hit: string, surface: Surface): boolean {
  if (surface.acronym) return false;
  if (UPPER.test(hit) && !LOWER.test(hit)) return true; // datelines and headlines: "NEW DELHI"
  const p = surface.pattern;
  // A particle capitalised at sentence start: "al-Sisi" → "Al-Sisi".
  if (LOWER.test(p[0]) && hit.slice(1) === p.slice(1) && hit[0] === p[0].toUpperCase()) return true;
  if (!surface.multiWord) return false;
  const hitWords = hit.split(' ');
  const patternWords = p.split(' ');
  return hitWords.every((w, i) => w === patternWords[i] || TITLE_START.test(w));
}

// ---------- the matcher ----------

interface Candidate {
  start: number;
  end: number;
  entity: RegistryEntity;
  exact: boolean;
}

export class RegistryMatcher {
  readonly version: string;
  private readonly automaton: AhoCorasick<number>;
  /** Surfaces by projected key: several can share one (case variants, or hash neighbours). */
  private readonly groups: Surface[][] = [];

  constructor(registry: Registry) {
    this.version = registry.version;
    const groupOf = new Map<string, number>();
    const seen = new Set<string>();
    for (const entity of registry.entities) {
      for (const raw of [entity.name, ...entity.aliases]) {
        const pattern = normalize(raw.trim().replace(/\s+/g, ' '));
        if (pattern === '' || seen.has(`${entity.id}\u0000${pattern}`)) continue;
        seen.add(`${entity.id}\u0000${pattern}`);
        const key = project(pattern);
        let group = groupOf.get(key);
        if (group === undefined) {
          group = this.groups.length;
          groupOf.set(key, group);
          this.groups.push([]);
        }
        this.groups[group].push({
          pattern,
          entity,
          acronym: UPPER.test(pattern) && !LOWER.test(pattern),
          multiWord: pattern.includes(' '),
        });
      }
    }
    this.automaton = new AhoCorasick([...groupOf].map(([pattern, data]) => ({ pattern, data })));
  }

  /** Registry mentions in the prose of `doc`, leftmost-longest, never overlapping. Offsets are into `doc.text`. */
  find(doc: ProseDocument): Mention[] {
    const prose = doc.prose;
    const candidates: Candidate[] = [];
    for (const hit of this.automaton.search(project(prose), { strategy: 'all' })) {
      for (const surface of this.groups[hit.data!]) {
        const exact = this.compare(prose, hit.start, surface.pattern);
        if (exact === null) continue;
        const p = surface.pattern;
        if (!startsWord(prose, hit.start, p.codePointAt(0)) || !endsWord(prose, hit.end, codePointBefore(p, p.length))) continue;
        if (!exact && !caseAccepted(normalize(prose.slice(hit.start, hit.end)), surface)) continue;
        candidates.push({ start: hit.start, end: hit.end, entity: surface.entity, exact });
      }
    }
    candidates.sort((a, b) => a.start - b.start || b.end - a.end);
    const mentions: Mention[] = [];
    let lastEnd = 0;
    for (let i = 0; i < candidates.length; ) {
      let j = i;
      while (j < candidates.length && candidates[j].start === candidates[i].start && candidates[j].end === candidates[i].end) j++;
      if (candidates[i].start >= lastEnd) {
        mentions.push(toMention(doc.text, candidates.slice(i, j)));
        lastEnd = candidates[i].end;
      }
      i = j;
    }
    return mentions;
  }

  /** null when the text is not the pattern even ignoring case; else whether the case is exact too. */
  private compare(text: string, start: number, pattern: string): boolean | null {
    let exact = true;
    for (let i = 0; i < pattern.length; i++) {
      const t = normalUnit(text.charCodeAt(start + i));
      const p = pattern.charCodeAt(i);
      if (t === p) continue;
      if (lowerUnit(t) !== lowerUnit(p)) return null;
      exact = false;
    }
    return exact;
  }
}

/** One mention for one span; several entities claiming it make it ambiguous (decided later, by coreference). */
function toMention(text: string, claims: Candidate[]): Mention {
  const { start, end } = claims[0];
  const preferred = claims.some((c) => c.exact) ? claims.filter((c) => c.exact) : claims;
  const entities = [...new Map(preferred.map((c) => [c.entity.id, c.entity])).values()];
  const surface = text.slice(start, end);
  const type: EntityType = entities[0].type;
  if (entities.length === 1) {
    const id = entities[0].id;
    return { start, end, text: surface, type, id, source: 'registry', entity: id };
  }
  const candidates = entities.map((e) => e.id).sort();
  return { start, end, text: surface, type, id: null, source: 'registry', entity: `${type}:${surface}`, candidates };
}
