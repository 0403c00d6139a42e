// When a registry name found in the prose counts as a mention: folding (case, apostrophes, spaces),
// word boundaries in any script, safe case tolerance, and the leftmost-longest choice among the hits.
// The matcher's automaton only proposes places where the folded text equals a folded name; these rules decide.
import type { EntityType, Mention, Registry, RegistryEntity } from './types';

export interface Surface {
  /** The name or alias with apostrophes and spaces folded, same length as the text it matches. */
  pattern: string;
  /** `pattern` case-folded unit by unit: what the automaton looks for. */
  key: string;
  entity: RegistryEntity;
  /** Which of the entity's names: 0 for `name`, i for `aliases[i - 1]`. */
  nameIndex: number;
  /** All capitals ("NCCIA"): only an exact-case hit counts. */
  acronym: boolean;
  /** Two words or more: a title-cased hit counts ("Ministry Of Public Security"). */
  multiWord: boolean;
}

export interface Candidate {
  start: number;
  end: number;
  entity: RegistryEntity;
  /** The text has the name's own case (not only a tolerated variant). */
  exact: boolean;
}

const APOSTROPHE = 0x27;
const SPACE = 0x20;

/** Curly and modifier apostrophes read as "'", every kind of space as " "; case is kept. */
function normalUnit(c: number): number {
  if (c === 0x2019 || c === 0x2018 || c === 0x02bc) return APOSTROPHE;
  if (c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0x202f || c === 0x3000 || (c >= 0x2000 && c <= 0x200a)) return SPACE;
  return c;
}

let foldTable: Uint16Array | null = null;

/**
 * Per UTF-16 unit: normalised, then lower-cased when the lower case is a single unit (so offsets never
 * move). Built once per process (~15 ms): the matcher maps every unit of the prose through it.
 */
export function unitFolds(): Uint16Array {
  if (foldTable) return foldTable;
  const table = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    const n = normalUnit(c);
    if (n < 128) {
      table[c] = n >= 65 && n <= 90 ? n + 32 : n;
    } else {
      const lower = String.fromCharCode(n).toLowerCase();
      table[c] = lower.length === 1 ? lower.charCodeAt(0) : n;
    }
  }
  foldTable = table;
  return table;
}

/** `text` with every unit mapped; `text` itself when nothing changes. */
function mapUnits(text: string, map: (c: number) => number): string {
  let i = 0;
  while (i < text.length && map(text.charCodeAt(i)) === text.charCodeAt(i)) i++;
  if (i === text.length) return text;
  const units: number[] = [];
  let s = text.slice(0, i);
  for (; i < text.length; i++) {
    units.push(map(text.charCodeAt(i)));
    // Flush in pieces: a call takes only so many arguments.
    if (units.length === 4096 || i === text.length - 1) {
      s += String.fromCharCode(...units);
      units.length = 0;
    }
  }
  return s;
}

/** Printable ASCII only: folding is plain lower-casing, done natively (registries are mostly ASCII). */
function printableAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c > 126) return false;
  }
  return true;
}

export function fold(text: string): string {
  if (printableAscii(text)) return text.toLowerCase();
  const folds = unitFolds();
  return mapUnits(text, (c) => folds[c]);
}

const normalize = (text: string): string => mapUnits(text, normalUnit);

/** A name or alias as it is matched: trimmed, inner runs of space single, apostrophes and spaces normalised. */
function patternOf(raw: string): string {
  return normalize(raw.trim().replace(/\s+/g, ' '));
}

function surface(entity: RegistryEntity, nameIndex: number, pattern: string): Surface {
  return { pattern, key: fold(pattern), entity, nameIndex, acronym: UPPER.test(pattern) && !LOWER.test(pattern), multiWord: pattern.includes(' ') };
}

/** Every distinct name and alias of `entity`, ready to match. */
export function surfacesOfEntity(entity: RegistryEntity): Surface[] {
  const surfaces: Surface[] = [];
  const names = [entity.name, ...entity.aliases];
  for (let nameIndex = 0; nameIndex < names.length; nameIndex++) {
    const pattern = patternOf(names[nameIndex]);
    if (pattern !== '' && !surfaces.some((s) => s.pattern === pattern)) surfaces.push(surface(entity, nameIndex, pattern));
  }
  return surfaces;
}

/** Every distinct name and alias of every entity, ready to match. */
export function surfacesOf(registry: Registry): Surface[] {
  return registry.entities.flatMap(surfacesOfEntity);
}

/** The surface of one name of `entity` (`nameIndex` as in `Surface`), or null if it has no such name. */
export function surfaceAt(entity: RegistryEntity, nameIndex: number): Surface | null {
  const raw = nameIndex === 0 ? entity.name : entity.aliases[nameIndex - 1];
  if (raw === undefined) return null;
  const pattern = patternOf(raw);
  return pattern === '' ? null : surface(entity, nameIndex, pattern);
}

// ---------- word boundaries ----------

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
/** Scripts written without spaces between words (Korean: particles attach to names), so no boundary is needed next to them. */
const UNSPACED_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/u;
const HYPHENS = new Set([0x2d, 0x2010, 0x2011]);

const WORD = 1;
const SPACED_WORD = 2;
const KNOWN = 4;
/** Classes of BMP units, filled on first sight: the boundary checks run on every hit. */
const classes = new Uint8Array(0x10000);

function classify(cp: number): number {
  if (cp < 128) return (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122) ? WORD | SPACED_WORD : 0;
  const ch = String.fromCodePoint(cp);
  if (!WORD_CHAR.test(ch)) return 0;
  return UNSPACED_SCRIPT.test(ch) ? WORD : WORD | SPACED_WORD;
}

function classOf(cp: number | undefined): number {
  if (cp === undefined) return 0;
  if (cp > 0xffff) return classify(cp);
  let k = classes[cp];
  if (k === 0) classes[cp] = k = classify(cp) | KNOWN;
  return k;
}

const isWord = (cp: number | undefined): boolean => (classOf(cp) & WORD) !== 0;
/** A letter or digit of a script that separates words with spaces: where one meets another, a word goes on. */
const isSpacedWord = (cp: number | undefined): boolean => (classOf(cp) & SPACED_WORD) !== 0;

/**
 * Is the UTF-16 unit a whole letter or digit of a spaced script? Then a name that starts with such a
 * unit cannot start right after it (`startsWord`): the matcher uses this to skip the middles of words.
 */
export function spacedWordUnit(c: number): boolean {
  return (c < 0xd800 || c > 0xdfff) && isSpacedWord(c);
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

/**
 * Judges a place where the folded prose equals `surface.key`: null when the name does not count there,
 * else whether the case is exact.
 */
export function judgeHit(prose: string, start: number, surface: Surface): boolean | null {
  const p = surface.pattern;
  const end = start + p.length;
  if (!startsWord(prose, start, p.codePointAt(0)) || !endsWord(prose, end, codePointBefore(p, p.length))) return null;
  let exact = true;
  for (let i = 0; i < p.length && exact; i++) exact = normalUnit(prose.charCodeAt(start + i)) === p.charCodeAt(i);
  if (!exact && !caseAccepted(normalize(prose.slice(start, end)), surface)) return null;
  return exact;
}

// ---------- choosing mentions ----------

/** Registry mentions from accepted hits (any order): leftmost-longest, never overlapping. Offsets are into `text`. */
export function chooseMentions(text: string, candidates: Candidate[]): Mention[] {
  candidates.sort((a, b) => a.start - b.start || b.end - a.end);
  const mentions: Mention[] = [];
  let lastEnd = 0;
  for (let i = 0; i < candidates.length; ) {
    let j = i;
    while (j < candidates.length && candidates[j].start === candidates[i].start && candidates[j].end === candidates[i].end) j++;
    if (candidates[i].start >= lastEnd) {
      mentions.push(toMention(text, candidates.slice(i, j)));
      lastEnd = candidates[i].end;
    }
    i = j;
  }
  return mentions;
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
