// Words of the masked prose with their offsets, and the runs of capitalised words ("chunks") in which
// names, titles, organisations and places are found. One linear regex pass; no backtracking traps.
import type { Sentence } from './types';
import { HONORIFICS, NAME_PARTICLES, UNCLASSIFIED } from './lexicon';

export interface Token {
  /** The word as written, without a possessive ’s; with its dot for "Mr." or "U.S.". */
  text: string;
  start: number;
  end: number;
  lower: string;
  /** The word carried a possessive ’s ("China’s"). */
  possessive: boolean;
  /** Starts with a capital, is in a script without case, or is a capitalised name behind a particle ("al-Sisi"). */
  cap: boolean;
  /** All capitals, two letters or more ("NCCIA", "DG"). */
  acronym: boolean;
  /** Written "(XYZ)". */
  inParens: boolean;
  /** Part of a handle, hashtag, URL or e-mail address: never a mention. */
  noise: boolean;
  /** Index of the sentence the token is in (0-based, counted along the text). */
  sentence: number;
  /** Masked markup ("</span>", "~~", a link's destination) stands between this token and the one before. */
  afterMask: boolean;
  /** The lexicon's classes of the word (bits, see lexicon.ts), filled in when first asked for. */
  classes: number;
}

/** Token index range [from, to) of capitalised words joined by spaces and lower-case connectors. */
export interface Chunk {
  from: number;
  to: number;
}

// Letters and digits with inner hyphens, apostrophes, dots and ampersands: "al-Sisi", "O’Brien", "U.S", "AT&T".
const WORD = /[\p{L}\p{M}\p{N}]+(?:[-‐‑'’.&][\p{L}\p{M}\p{N}]+)*/gu;
// Anchored on "@" (then widened by hand), so a long word is never rescanned from each of its letters.
const NOISE = /(?:https?:\/\/|www\.)\S+|@[\p{L}\p{N}_.-]+|#[\p{L}\p{N}_]+/gu;
const HANDLE_CHAR = /[\p{L}\p{N}_.+-]/u;
const CAPITAL = /^[\p{Lu}\p{Lt}]|^\p{Lo}/u;
const PARTICLE_NAME = /^(?:al|el|ad|as|ash|at|az|an|ar|ibn|bin|abu|da|de|di|du|van|von|d|l)[-‐‑'’][\p{Lu}]/u;
const ACRONYM = /^[\p{Lu}\p{N}&.]+$/u;
const DOTTED = /^(?:\p{Lu}\.)*\p{Lu}$/u;
const SENTENCE_END = '.!?:;\n—–';
const SKIPPED_BEFORE = /[\s"'“”‘’«»()[\]*_>-]/;

export const CONNECTORS = new Set(['of', 'for', 'to', 'on', 'in', 'and', 'the', ...NAME_PARTICLES]);

/**
 * Words of `prose`; `text` is the document it masks (same length), so that markup blanked out
 * between two words keeps them apart.
 */
export function tokenize(prose: string, sentences: readonly Sentence[] = [], text: string = prose): Token[] {
  const noise: Array<[number, number]> = [];
  if (mayHaveNoise(prose)) {
    for (const m of prose.matchAll(NOISE)) {
      let from = m.index;
      if (m[0][0] === '@') while (from > 0 && HANDLE_CHAR.test(prose[from - 1])) from--;
      noise.push([from, m.index + m[0].length]);
    }
  }
  const sentenceStarts = new Set(sentences.map((s) => s.start));
  const tokens: Token[] = [];
  let noiseAt = 0;
  let sentence = 0;
  let previousEnd = 0;
  const masked = prose !== text;
  // exec rather than matchAll: no copy of the regex and no iterator for each of a document's many segments.
  WORD.lastIndex = 0;
  for (let m = WORD.exec(prose); m; m = WORD.exec(prose)) {
    let word = m[0];
    const start = m.index;
    let end = start + word.length;
    let possessive = false;
    const last = word.charCodeAt(word.length - 1);
    const apostrophe = word.charCodeAt(word.length - 2);
    if (last === 115 && (apostrophe === 39 || apostrophe === 0x2019) && word.length > 3) {
      word = word.slice(0, -2);
      end -= 2;
      possessive = true;
    }
    // Plural possessive: "Ministers’ Dialogue".
    if (!possessive && last === 115 && (prose[end] === "'" || prose[end] === '’') && /\s/.test(prose[end + 1] ?? '')) possessive = true;
    let lower = word.toLowerCase();
    if (prose[end] === '.' && !possessive && (HONORIFICS.has(lower) || (word.length < 8 && DOTTED.test(word)))) {
      word += '.';
      end += 1;
      lower = word.toLowerCase();
    }
    while (noiseAt < noise.length && noise[noiseAt][1] <= start) noiseAt++;
    const isNoise = noiseAt < noise.length && noise[noiseAt][0] < end;
    if (tokens.length > 0 && (sentenceStarts.has(start) || startsSentence(prose, start))) sentence++;
    const cap = isCapitalised(word);
    tokens.push({
      text: word,
      start,
      end,
      lower,
      possessive,
      cap,
      acronym: cap && ACRONYM.test(word) && (word.match(/\p{Lu}/gu) ?? []).length >= 2,
      inParens: prose.charCodeAt(start - 1) === 40 && prose.charCodeAt(m.index + m[0].length) === 41,
      noise: isNoise,
      sentence,
      afterMask: masked && masks(prose, text, previousEnd, start),
      classes: UNCLASSIFIED,
    });
    previousEnd = end;
  }
  return tokens;
}

/** Can NOISE match in `prose`? Most prose has none of its marks, and the test is quicker than the search. */
function mayHaveNoise(prose: string): boolean {
  return prose.includes('@') || prose.includes('#') || prose.includes('://') || prose.includes('www.');
}

/** CAPITAL or PARTICLE_NAME, with ASCII first letters decided without a regex. */
function isCapitalised(word: string): boolean {
  const first = word.charCodeAt(0);
  if (first >= 65 && first <= 90) return true;
  // Digits and punctuation are neither; a lower-case letter may open a particle name ("al-Sisi").
  if (first < 128) return first >= 97 && first <= 122 && PARTICLE_NAME.test(word);
  return CAPITAL.test(word) || PARTICLE_NAME.test(word);
}

/** Does the prose blank out any character of the text in [from, to)? */
function masks(prose: string, text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (prose.charCodeAt(i) !== text.charCodeAt(i)) return true;
  return false;
}

/** True when only quotes, brackets or markup stand between the word and a sentence end (or the text start). */
function startsSentence(prose: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && prose[i] !== '\n' && isSkippedBefore(prose.charCodeAt(i))) i--;
  if (i < 0) return true;
  if (prose[i] === '.') {
    // "Mr. Smith", "John F. Kennedy", "the U.S. delegation": the dot ends an abbreviation, not a sentence.
    const word = /([\p{L}.]+)\.$/u.exec(prose.slice(Math.max(0, i - 12), i + 1))?.[1] ?? '';
    if (HONORIFICS.has(word.toLowerCase()) || DOTTED.test(word)) return false;
  }
  return SENTENCE_END.includes(prose[i]);
}

/** SKIPPED_BEFORE by character code, looked up in a table for ASCII (it is asked for every word). */
const SKIPPED_ASCII = Array.from({ length: 128 }, (_, c) => SKIPPED_BEFORE.test(String.fromCharCode(c)));
const isSkippedBefore = (c: number): boolean => (c < 128 ? SKIPPED_ASCII[c] : SKIPPED_BEFORE.test(String.fromCharCode(c)));

/** May `next` continue the chunk that `prev` is in? Never across masked markup; only spaces, a possessive ’s or "(" / ")" around an acronym. */
function joinable(prose: string, prev: Token, next: Token): boolean {
  if (next.afterMask) return false;
  if (isSpaceRun(prose, prev.end, next.start)) return true;
  const gap = prose.slice(prev.end, next.start);
  // "China–Central Asia Business Forum", "Kenya–Ethiopia Joint Trade Committee": an en dash between two capitalised words.
  if (gap === '–' && prev.cap && next.cap) return true;
  if (prev.possessive && /^['’]s?[ \t\u00a0]+$/.test(gap)) return true;
  if (next.inParens && /^[ \t\u00a0]*\($/.test(gap)) return true;
  return prev.inParens && /^\)[ \t\u00a0]*$/.test(gap);
}

export function chunks(prose: string, tokens: readonly Token[]): Chunk[] {
  const out: Chunk[] = [];
  let from = -1;
  let lastCap = -1;
  const close = () => {
    if (from >= 0) out.push({ from, to: lastCap + 1 });
    from = -1;
  };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    const joined = from >= 0 && (joinable(prose, tokens[k - 1], t) || inTopicList(prose, tokens, k, from));
    if (t.noise) close();
    else if (t.cap || t.acronym) {
      if (!joined) {
        close();
        from = k;
      }
      lastCap = k;
    } else if (!(joined && CONNECTORS.has(t.lower))) close();
  }
  close();
  return out;
}

/**
 * Does token `k` continue a comma list of single capitalised topics after "of"/"for" in the chunk
 * that starts at `from` ("Minister of Investment, Industry and Trade", "Cabinet Secretary for
 * Investments, Trade and Industry")? Only one-word items up to an "and": a list of names never fits.
 */
function inTopicList(prose: string, tokens: readonly Token[], k: number, from: number): boolean {
  if (k < 2 || !tokens[k].cap) return false;
  const gapBefore = (n: number) => prose.slice(tokens[n - 1].end, tokens[n].start);
  if (!/^,[ \t\u00a0]+$/.test(gapBefore(k)) || tokens[k].afterMask) return false;
  // Walk back over earlier ", Topic" items to the "of"/"for" that opens the list.
  let n = k - 1;
  while (n - 1 > from && /^,[ \t\u00a0]+$/.test(gapBefore(n)) && tokens[n].cap) n--;
  if (n - 1 < from || !tokens[n].cap || !/^(?:of|for|on)$/.test(tokens[n - 1].lower)) return false;
  // Walk forward: more ", Topic" items, then "and Topic".
  for (let m = k; m + 2 < tokens.length && tokens[m].cap; m++) {
    const after = prose.slice(tokens[m].end, tokens[m + 1].start);
    if (/^[ \t\u00a0]+$/.test(after)) return tokens[m + 1].lower === 'and' && tokens[m + 2].cap && !tokens[m + 1].afterMask && /^[ \t\u00a0]+$/.test(gapBefore(m + 2));
    if (!/^,[ \t\u00a0]+$/.test(after) || m - k > 6) return false;
  }
  return false;
}

/** Is prose[from, to) spaces, tabs or no-break spaces, one or more (checked in place: it runs for every pair of words)? */
export function isSpaceRun(prose: string, from: number, to: number): boolean {
  const end = Math.min(to, prose.length);
  if (from >= end) return false;
  for (let i = from; i < end; i++) {
    const c = prose.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 0xa0) return false;
  }
  return true;
}

/** The text between two token indices (inclusive), whitespace runs collapsed, curly apostrophes kept. */
export function phrase(prose: string, tokens: readonly Token[], from: number, to: number): string {
  return collapseSpaces(prose.slice(tokens[from].start, tokens[to].end));
}

/** Whitespace other than a lone space: where collapsing has anything to do. */
const UNCOLLAPSED = /[^\S ]| {2}/;

/** `text` with each run of whitespace as one space (most phrases are already so, and are returned as they are). */
export function collapseSpaces(text: string): string {
  return UNCOLLAPSED.test(text) ? text.replace(/\s+/g, ' ') : text;
}
